from tests.logistics.fixtures import fresh_carriers, seeded, two_coop_order  # noqa: F401
