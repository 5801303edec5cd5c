"""manage.py import_gazetteer path.csv [--dry-run]"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from marketplace.locations.management.commands.import_gazetteer import Command
from marketplace.locations.models import Village

HEADER = "province,county,county_en,village,village_en\n"


def write_csv(tmp_path: Path, text: str, *, bom: bool = True) -> Path:
    path = tmp_path / "gazetteer.csv"
    path.write_text(text, encoding="utf-8-sig" if bom else "utf-8")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_gazetteer", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_imports_a_csv_with_a_byte_order_mark(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER
        + "IR-09,کاشمر,Kashmar,کلاته نمونه,Kalateh-ye Nemuneh\n"
        + "خراسان رضوي,كلات,Kalat,كالو,Kalu\n"
        + "استان ناموجود,کاشمر,,ده,\n",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    out, err = run(str(path))

    village = Village.objects.get(name="کلاته نمونه")
    assert (village.county.name, village.name_en) == ("کاشمر", "Kalateh-ye Nemuneh")
    assert "3 rows: 1 villages created, 0 updated, 1 unchanged" in out
    assert "1 rows with errors" in out
    assert "row 4: unknown province “استان ناموجود”" in err


@pytest.mark.django_db
def test_dry_run_saves_nothing(tmp_path):
    path = write_csv(tmp_path, HEADER + "IR-09,کاشمر,Kashmar,کلاته نمونه,\n", bom=False)

    out, _ = run(str(path), "--dry-run")

    assert "Dry run, nothing saved." in out
    assert "1 villages created" in out
    assert not Village.objects.filter(name="کلاته نمونه").exists()


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "missing.csv"))


def test_a_missing_required_header_is_an_error(tmp_path):
    path = write_csv(tmp_path, "province,county,county_en\nIR-09,کاشمر,Kashmar\n")
    with pytest.raises(CommandError, match="no village column"):
        run(str(path))


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "gazetteer.csv"
    path.write_bytes(HEADER.encode() + "IR-09,کاشمر,,ده,\n".encode("utf-16"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(path))


@pytest.mark.parametrize("header", ["", "province,county,county_en\n"])
def test_from_the_command_line_errors_exit_non_zero(tmp_path, capsys, header):
    path = write_csv(tmp_path, header) if header else tmp_path / "missing.csv"

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "import_gazetteer", str(path)])

    assert exit_info.value.code == 1
    assert "CommandError" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_official_list_with_persian_headers_reports_its_progress(tmp_path, monkeypatch):
    monkeypatch.setattr("marketplace.locations.importer.PROGRESS_EVERY", 2)
    rows = "".join(f"خراسان رضوی,کدکن,روستای {n},{n}\n" for n in range(1, 6))
    path = write_csv(tmp_path, "استان,شهرستان,نام آبادی,کد\n" + rows)

    out, err = run(str(path))

    assert err == ""
    assert Village.objects.filter(county__name="کدکن").count() == 5
    lines = out.splitlines()
    assert lines[:3] == [
        "Read 2 rows: 2 new villages so far, 0 bad rows",
        "Read 4 rows: 4 new villages so far, 0 bad rows",
        "Read all 5 rows; saving…",
    ]
    assert "5 rows: 5 villages created" in lines[-1]


FIXTURE = Path(__file__).parent / "fixtures" / "official_villages.csv"


@pytest.mark.django_db
def test_the_small_official_list_fixture_loads_with_progress(monkeypatch):
    monkeypatch.setattr("marketplace.locations.importer.PROGRESS_EVERY", 2)

    out, err = run(str(FIXTURE))

    lines = out.splitlines()
    assert lines[0] == "Read 2 rows: 2 new villages so far, 0 bad rows"
    assert lines[1] == "Read 4 rows: 3 new villages so far, 0 bad rows"
    assert "5 rows: 3 villages created" in lines[-1]
    assert "row 6: unknown province" in err
    karizak = Village.objects.get(name="کاریزک")
    assert karizak.name_en == "Karizak" and karizak.county.name_en == "Kadkan"
    assert karizak.is_confirmed

    again, _err = run(str(FIXTURE))
    assert "0 villages created" in again.splitlines()[-1]
