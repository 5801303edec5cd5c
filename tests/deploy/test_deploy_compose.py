"""docker-compose.yml, Dockerfile and .dockerignore against what the project really has."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat", "migrate")
HEALTHCHECKED_SERVICES = ("db", "redis", "minio", "web")
# boto3 reads these from the environment itself; settings never mention them.
BOTO3_ENV_NAMES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
REQUIRED_IN_PRODUCTION = {"SECRET_KEY", "DATABASE_URL"}
SHELL_OPERATORS = {"&&", "||", ";", "|", "&"}
SHELL_KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "exec"}
FAKE_HOST_ENV = {
    "SECRET_KEY": "compose-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "POSTGRES_PASSWORD": "compose-test-db-password",
    "MINIO_ROOT_PASSWORD": "compose-test-minio-password",
}


# --- reading the project


def is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def is_environ_read(func: ast.AST) -> bool:
    if isinstance(func, ast.Attribute) and func.attr in {"get", "setdefault", "pop"}:
        return is_os_environ(func.value)
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "getenv"
        and isinstance(func.value, ast.Name)
        and func.value.id == "os"
    )


def environ_names_read(path: Path) -> set[str]:
    """Names read from os.environ in `path`, directly or through a module-level helper
    that takes the name as its first argument (like settings' env_bool / env_list)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    helpers = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(is_os_environ(inner) for inner in ast.walk(node))
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            is_helper = isinstance(node.func, ast.Name) and node.func.id in helpers
            if (is_helper or is_environ_read(node.func)) and isinstance(first, ast.Constant):
                names.add(str(first.value))
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and is_os_environ(node.value)
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(str(node.slice.value))
    return names


def project_env_names() -> set[str]:
    sources = [ROOT / "config" / "settings.py"]
    sources += sorted(ROOT.glob("marketplace/**/management/commands/*.py"))
    names: set[str] = set()
    for source in sources:
        names |= environ_names_read(source)
    return names | BOTO3_ENV_NAMES


# --- reading compose files

INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_]\w*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>[A-Za-z_]\w*)"
)


def interpolate(value: str, host_env: dict[str, str]) -> str:
    """Resolve ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error} and $$ like compose."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg = match.group("op"), match.group("arg")
        present = name in host_env and (host_env[name] != "" or not (op or "").startswith(":"))
        if present:
            return host_env[name]
        if op in {":?", "?"}:
            raise LookupError(f"{name}: {arg}")
        return arg if op in {":-", "-"} else ""

    return INTERPOLATION.sub(replace, value)


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        pairs = (item.split("=", 1) for item in environment)
        return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def resolved_environment(name: str, host_env: dict[str, str]) -> dict[str, str]:
    return {
        key: interpolate(value, host_env) for key, value in environment_of(SERVICES[name]).items()
    }


def shell_text(command: str | list[str]) -> str:
    if isinstance(command, list):
        if len(command) >= 3 and Path(command[0]).name in {"sh", "bash"} and command[1] == "-c":
            return command[2]
        return shlex.join(command)
    return command


def simple_commands(command: str | list[str]) -> list[list[str]]:
    """Split a command into the simple commands it runs (`a && b; if c; then d; fi`)."""
    lexer = shlex.shlex(shell_text(command).replace("$$", "$"), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in SHELL_OPERATORS:
            commands.append([])
        elif not commands[-1] and token in SHELL_KEYWORDS:
            continue
        else:
            commands[-1].append(token)
    return [words for words in commands if words]


def program_and_args(words: list[str]) -> tuple[str, list[str]]:
    if Path(words[0]).name.startswith("python"):
        if len(words) > 2 and words[1] == "-m":
            return words[2], words[3:]
        if len(words) > 1 and words[1].endswith("manage.py"):
            return "manage.py", words[2:]
    return Path(words[0]).name, words[1:]


def commands_of(name: str) -> list[tuple[str, list[str]]]:
    command = SERVICES[name].get("command")
    assert command, f"{name} has no command"
    return [program_and_args(words) for words in simple_commands(command)]


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text()
    logical = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in logical.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def dockerfile_cmd() -> list[str]:
    cmds = [rest for keyword, rest in dockerfile_instructions() if keyword in {"CMD", "ENTRYPOINT"}]
    assert cmds, "the Dockerfile has no CMD or ENTRYPOINT"
    last = cmds[-1]
    return json.loads(last) if last.startswith("[") else shlex.split(last)


# --- checks shared by compose commands and the Dockerfile


def assert_gunicorn_runs_the_project(args: list[str]) -> None:
    from gunicorn.config import KNOWN_SETTINGS

    known_flags = {flag for setting in KNOWN_SETTINGS for flag in setting.cli or []}
    for arg in args:
        if arg.startswith("-"):
            assert arg.split("=", 1)[0] in known_flags, f"gunicorn has no option {arg}"
    if "--config" in args:
        # The settings file the server reads, from the tree the image runs (/app).
        path = ROOT / args[args.index("--config") + 1]
        assert path.is_file(), path
        loaded: dict[str, Any] = {}
        exec(compile(path.read_text(), str(path), "exec"), loaded)
        assert loaded["workers"] >= 2
        assert loaded["bind"].endswith(":8000")
    targets = [arg for arg in args if ":" in arg and not arg.startswith("-") and "/" not in arg]
    targets = [target for target in targets if not re.match(r"^[\d.]+:\d+$", target)]
    assert targets == ["config.wsgi:application"], targets
    module_name, attribute = targets[0].split(":")
    assert callable(getattr(importlib.import_module(module_name), attribute))


def assert_celery_runs_the_project(args: list[str], subcommand: str | None = None) -> None:
    from celery.app.utils import find_app
    from celery.bin.celery import celery as celery_cli

    from config.celery import app

    app_flags = {"-A", "--app"}
    app_index = next(i for i, arg in enumerate(args) if arg in app_flags)
    assert find_app(args[app_index + 1]) is app
    rest = args[:app_index] + args[app_index + 2 :]
    assert rest, "celery without a subcommand"
    assert subcommand in (None, rest[0]), rest
    subcommand = rest[0]
    assert subcommand in celery_cli.commands, f"celery has no subcommand {subcommand}"
    command = celery_cli.commands[subcommand]
    known_flags = {flag for param in command.params for flag in getattr(param, "opts", [])}
    for arg in rest[1:]:
        if arg.startswith("-"):
            assert arg.split("=", 1)[0] in known_flags, f"celery {subcommand} has no option {arg}"


def assert_management_command_exists(args: list[str]) -> None:
    assert args, "manage.py without a command"
    assert args[0] in get_commands(), f"no management command {args[0]!r}"


def assert_known_programs(name: str) -> None:
    checked = 0
    for program, args in commands_of(name):
        if program == "gunicorn":
            assert_gunicorn_runs_the_project(args)
        elif program == "celery":
            assert_celery_runs_the_project(args)
        elif program == "manage.py":
            assert_management_command_exists(args)
        elif program in {"[", "test", "echo", "true"}:
            continue
        else:
            pytest.fail(f"{name} runs {program!r}, which this test does not know")
        checked += 1
    assert checked, f"{name} runs nothing from the project"


# --- tests: the project reading the environment


def test_environment_scan_finds_what_settings_read() -> None:
    names = project_env_names()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"} <= names
    assert {"ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "AWS_STORAGE_BUCKET_NAME"} <= names
    assert {"DJANGO_SUPERUSER_EMAIL", "DJANGO_SUPERUSER_PASSWORD"} <= names


def test_interpolation_follows_compose_rules() -> None:
    env = {"SET": "value", "EMPTY": ""}
    assert interpolate("${SET:?x}/${EMPTY:-fallback}/${EMPTY-kept}/$$HOME", env) == (
        "value/fallback//$HOME"
    )
    with pytest.raises(LookupError):
        interpolate("${MISSING:?set MISSING}", env)


# --- tests: compose


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_runs_something_real(name: str) -> None:
    assert_known_programs(name)


def test_web_runs_gunicorn() -> None:
    programs = [program for program, _ in commands_of("web")]
    assert programs == ["gunicorn"]


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_services_run_their_subcommand(name: str) -> None:
    [(program, args)] = commands_of(name)
    assert program == "celery"
    assert_celery_runs_the_project(args, name)


def test_migrate_migrates_first() -> None:
    program, args = commands_of("migrate")[0]
    assert program == "manage.py"
    assert args[0] == "migrate"
    assert "--noinput" in args


def test_beat_schedule_is_written_where_the_image_user_may_write() -> None:
    [(_, args)] = commands_of("beat")
    schedule = Path(args[args.index("--schedule") + 1])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(rf"chown\s+(-R\s+)?\S+\s+{re.escape(str(schedule.parent))}\b", dockerfile)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_env_names_are_read_by_the_project(name: str) -> None:
    unknown = set(environment_of(SERVICES[name])) - project_env_names()
    assert not unknown, f"{name} sets variables nothing reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_env_gives_what_production_requires(name: str) -> None:
    environment = resolved_environment(name, FAKE_HOST_ENV)
    for required in REQUIRED_IN_PRODUCTION:
        assert environment.get(required), f"{name} lacks {required}"


def test_the_host_can_name_the_proxies_in_front_of_web() -> None:
    # Limits per client address (the GraphQL cost budget, sign-in tries) count visitors
    # only when the settings know how many proxies to look behind.
    assert resolved_environment("web", FAKE_HOST_ENV)["TRUSTED_PROXY_COUNT"] == "0"
    behind_one = {**FAKE_HOST_ENV, "TRUSTED_PROXY_COUNT": "1"}
    assert resolved_environment("web", behind_one)["TRUSTED_PROXY_COUNT"] == "1"


def test_app_services_share_one_environment() -> None:
    environments = [environment_of(SERVICES[name]) for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)


def test_secret_key_must_come_from_the_host() -> None:
    raw = environment_of(SERVICES["web"])["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", raw), raw
    host_env = {name: value for name, value in FAKE_HOST_ENV.items() if name != "SECRET_KEY"}
    with pytest.raises(LookupError):
        resolved_environment("web", host_env)


def test_compose_environment_loads_production_settings(settings_probe) -> None:
    environment = resolved_environment("web", FAKE_HOST_ENV)
    loaded = settings_probe(environment)
    assert loaded["error"] is None, loaded
    assert loaded["DEBUG"] is False
    assert loaded["default_storage_class"] == "storages.backends.s3.S3Storage"
    assert loaded["bucket_name"] == environment["AWS_STORAGE_BUCKET_NAME"]
    assert urlsplit(loaded["CELERY_BROKER_URL"]).hostname == "redis"
    assert loaded["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_app_credentials_match_the_services() -> None:
    app = resolved_environment("web", FAKE_HOST_ENV)
    db = resolved_environment("db", FAKE_HOST_ENV)
    minio = resolved_environment("minio", FAKE_HOST_ENV)
    bucket_init = resolved_environment("minio-init", FAKE_HOST_ENV)

    database = urlsplit(app["DATABASE_URL"])
    assert database.hostname == "db"
    assert database.username == db["POSTGRES_USER"]
    assert database.password == db["POSTGRES_PASSWORD"]
    assert database.path.lstrip("/") == db["POSTGRES_DB"]

    for url_name in ("REDIS_URL", "CELERY_BROKER_URL"):
        assert urlsplit(app[url_name]).hostname == "redis"

    assert urlsplit(app["AWS_S3_ENDPOINT_URL"]).hostname == "minio"
    assert app["AWS_ACCESS_KEY_ID"] == minio["MINIO_ROOT_USER"]
    assert app["AWS_SECRET_ACCESS_KEY"] == minio["MINIO_ROOT_PASSWORD"]
    assert bucket_init["BUCKET"] == app["AWS_STORAGE_BUCKET_NAME"]


def test_bucket_is_created_with_the_minio_client() -> None:
    service = SERVICES["minio-init"]
    assert "minio/mc" in service["image"]
    script = " ".join(service.get("entrypoint") or []) + " " + str(service.get("command") or "")
    assert re.search(r"\bmc mb\b", script)
    assert service.get("restart") == "no"


def test_depends_on_targets_exist() -> None:
    for name, service in SERVICES.items():
        depends_on = service.get("depends_on") or {}
        targets = depends_on if isinstance(depends_on, list) else list(depends_on)
        for target in targets:
            assert target in SERVICES, f"{name} depends on unknown service {target}"


def test_depends_on_conditions_can_be_met() -> None:
    for name, service in SERVICES.items():
        depends_on = service.get("depends_on") or {}
        if isinstance(depends_on, list):
            continue
        for target, rule in depends_on.items():
            condition = (rule or {}).get("condition")
            if condition == "service_healthy":
                assert "healthcheck" in SERVICES[target], f"{name} waits on {target}'s health"
            if condition == "service_completed_successfully":
                assert SERVICES[target].get("restart", "no") == "no", f"{target} must exit once"


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_long_running_app_services_wait_for_migrations(name: str) -> None:
    depends_on = SERVICES[name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", HEALTHCHECKED_SERVICES)
def test_backing_services_and_web_have_healthchecks(name: str) -> None:
    healthcheck = SERVICES[name].get("healthcheck") or {}
    assert not healthcheck.get("disable")
    test = healthcheck.get("test")
    assert test
    assert test != ["NONE"]


def test_web_healthcheck_calls_health_endpoint_without_curl() -> None:
    test = SERVICES["web"]["healthcheck"]["test"]
    text = " ".join(test) if isinstance(test, list) else test
    assert "/health/" in text
    assert "urllib" in text
    assert "curl" not in text
    assert "wget" not in text


def test_named_volumes_are_declared() -> None:
    declared = set(COMPOSE.get("volumes") or {})
    for name, service in SERVICES.items():
        for volume in service.get("volumes") or []:
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source")
            if source and not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
    for name in ("db", "redis", "minio"):
        assert SERVICES[name].get("volumes"), f"{name} keeps its data in the container"


def test_postgres_18_volume_is_mounted_where_the_image_keeps_data() -> None:
    # From 18 on, the official image keeps the cluster in /var/lib/postgresql/<major>/docker
    # and refuses to start with a mount at the old /var/lib/postgresql/data.
    assert SERVICES["db"]["image"].startswith("postgres:18")
    targets = [volume.split(":")[1] for volume in SERVICES["db"]["volumes"]]
    assert targets == ["/var/lib/postgresql"]


# --- tests: the image


def test_dockerfile_cmd_serves_the_wsgi_application() -> None:
    cmd = dockerfile_cmd()
    assert cmd[0] == "gunicorn"
    assert "config.wsgi:application" in cmd
    assert_gunicorn_runs_the_project(cmd[1:])


def test_dockerfile_does_not_run_as_root() -> None:
    users = [rest.split(":")[0] for keyword, rest in dockerfile_instructions() if keyword == "USER"]
    assert users, "the Dockerfile has no USER line"
    assert users[-1] not in {"root", "0"}


def test_dockerfile_builds_from_pyproject() -> None:
    instructions = dockerfile_instructions()
    stages = [rest for keyword, rest in instructions if keyword == "FROM"]
    # npm packages come from a Node stage; the image itself is the last stage.
    assert stages[-1] == "python:3.11-slim"
    assert any(stage.startswith("node:") for stage in stages[:-1])
    runs = " ".join(rest for keyword, rest in instructions if keyword == "RUN")
    assert "npm ci" in runs
    assert re.search(r"pip install \.(\s|$)", runs)
    assert re.search(r"python -m storefront\.assets .*collectstatic --noinput", runs)
    assert "compile_translations()" in runs
    assert ("EXPOSE", "8000") in instructions


def test_dockerfile_collectstatic_step_needs_no_database(tmp_path: Path) -> None:
    run = next(
        rest
        for keyword, rest in dockerfile_instructions()
        if keyword == "RUN" and "collectstatic" in rest
    )
    build_env = dict(re.findall(r"\b([A-Z_]+)=(\S+)", run.split("python manage.py")[0]))
    assert {"SECRET_KEY", "DATABASE_URL"} <= set(build_env)
    # Port 1 refuses connections, so any attempt to reach a database fails the build.
    build_env["DATABASE_URL"] = "postgresql://build:build@127.0.0.1:1/build"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "STATIC_ROOT": str(tmp_path / "static"),
        **build_env,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    patterns = {
        line.strip().removeprefix("**/").rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", ".data", ".git", "__pycache__", "test-artifacts"} <= patterns
