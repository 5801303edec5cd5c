from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the lowest cost, for the test suite only (see settings.TESTING)."""

    algorithm = "argon2"
    time_cost = 1
    memory_cost = 8
    parallelism = 1
