from tests.logistics.fixtures import (  # noqa: F401
    carrier_servers,
    courier_server,
    fresh_carriers,
    post_server,
    seeded,
    two_coop_order,
)
