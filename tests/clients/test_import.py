import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from ascm.audit.models import AuditEntry
from clients.importing import FileRefused, people_import
from clients.models import Client, ImportRun
from clients.tasks import import_people_task
from tests.clients.factories import ClientFactory, synthetic_nhs_number
from tests.factories import GPPracticeFactory

pytestmark = pytest.mark.django_db
HEADER = ["legacy_id", "nhs_number", "given_name", "family_name", "date_of_birth", "gender", "postcode", "gp_practice_code"]


def _csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


GOOD = [
    ["L1", "943 476 5919", "Ada", "Lovelace", "1940-12-10", "F", "ct1 2ab", ""],
    ["L2", "", "Zoë", "Smyth", "27/03/1950", "Male", "TN23 4AB", ""],
]


def test_good_rows_are_imported_and_bad_rows_reported_with_a_reason():
    rows = GOOD + [
        ["L3", "943 476 5918", "Bad", "Number", "1950-01-01", "", "", ""],
        ["L4", "", "Future", "Born", "2999-01-01", "", "", ""],
        ["L5", "", "No", "Practice", "1950-01-01", "", "", "Z99999"],
        ["", "", "No", "Legacy", "", "", "", ""],
        ["L6", "", "Bad", "Postcode", "", "", "NOT A POSTCODE", ""],
        ["L1", "", "Twice", "InFile", "", "", "", ""],
    ]
    result = people_import(data=_csv(rows))
    assert (result.rows, result.created, result.rejected) == (8, 2, 6)
    reasons = {r[1]: r[3] for r in result.report if r[2] == "rejected"}
    assert "the check digit does not match" in reasons["L3"]
    assert "Date of birth must be today or in the past" in reasons["L4"]
    assert "no GP practice with the ODS code Z99999" in reasons["L5"]
    assert "Every row needs a legacy ID" in reasons[""]
    assert "Enter a real postcode" in reasons["L6"]
    assert "more than once" in [r for r in result.report if r[0] == 9][0][3]
    ada = Client.objects.get(legacy_id="L1")
    assert ada.nhs_number == "9434765919" and ada.postcode == "CT1 2AB" and ada.gender == "2"
    assert AuditEntry.objects.get_for_object(ada).get().changes == {"source": ["", "legacy import"]}


def test_importing_the_same_file_again_creates_no_duplicates():
    people_import(data=_csv(GOOD))
    again = people_import(data=_csv(GOOD))
    assert (again.created, again.unchanged) == (0, 2)
    assert Client.objects.count() == 2


def test_a_changed_row_updates_the_record_matched_by_legacy_id_then_nhs_number():
    people_import(data=_csv(GOOD))
    existing = ClientFactory(legacy_id=None, nhs_number=synthetic_nhs_number(5))
    rows = [["L1", "943 476 5919", "Ada", "King", "1940-12-10", "F", "CT1 2AB", ""],
            ["L9", existing.nhs_number, "Found", "ByNhs", "1950-01-01", "", "", ""]]
    result = people_import(data=_csv(rows))
    assert (result.updated, result.created) == (2, 0)
    assert Client.objects.get(legacy_id="L1").family_name == "King"
    existing.refresh_from_db()
    assert existing.legacy_id == "L9"


def test_gp_practice_is_linked_by_ods_code():
    practice = GPPracticeFactory(ods_code="Z12345")
    people_import(data=_csv([["L1", "", "Ada", "Lovelace", "", "", "", "z12345"]]))
    assert Client.objects.get().gp_practice == practice


def test_missing_columns_refuse_the_whole_file():
    with pytest.raises(FileRefused, match="missing the columns: given_name, family_name"):
        people_import(data=_csv([["L1"]], header=["legacy_id"]))
    assert not Client.objects.exists()


def test_wrong_encoding_refuses_the_whole_file_with_advice():
    data = "legacy_id,given_name,family_name\nL1,Zoë,Smyth\n".encode("latin-1")
    with pytest.raises(FileRefused, match="not UTF-8.*line 2.*CSV UTF-8"):
        people_import(data=data)


def test_many_bad_rows_are_all_reported_and_nothing_half_done():
    rows = [[f"B{n}", "", "", "", "not a date", "", "", ""] for n in range(2500)]
    result = people_import(data=_csv(rows))
    assert result.rejected == 2500 and len(result.report) == 2500
    assert not Client.objects.exists()


def test_the_command_writes_the_report(tmp_path, capsys):
    source = tmp_path / "legacy.csv"
    source.write_bytes(_csv(GOOD + [["L3", "123", "Bad", "Row", "", "", "", ""]]))
    call_command("import_people", str(source))
    report = (tmp_path / "legacy.report.csv").read_text()
    assert "L3,rejected" in report and "rows per second" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not UTF-8"):
        bad = tmp_path / "bad.csv"
        bad.write_bytes("legacy_id,given_name,family_name\nL1,Zoë,S\n".encode("latin-1"))
        call_command("import_people", str(bad))


def test_an_uploaded_import_runs_as_a_task_and_keeps_its_report(administrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run = ImportRun.objects.create(filename="legacy.csv", uploaded_by=administrator)
    run.file.save("legacy.csv", ContentFile(_csv(GOOD)))
    import_people_task.delay(run.pk)
    import_people_task.delay(run.pk)  # a redelivered task changes nothing
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FINISHED and run.created == 2
    assert Client.objects.count() == 2 and "L1,created" in run.report_text()


def test_administrator_uploads_an_export_in_the_admin(client, administrator, settings, tmp_path,
                                                     django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(administrator)
    upload = ContentFile(_csv(GOOD), name="legacy.csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/clients/importrun/add/", {"file": upload})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FINISHED and run.created == 2 and run.uploaded_by == administrator


def test_an_import_interrupted_after_a_batch_finishes_on_a_second_run_without_duplicates(monkeypatch):
    from clients import importing

    rows = [[f"R{n}", synthetic_nhs_number(700 + n), "Given", f"Family{n}", "1950-01-01", "F", "CT1 1AA", ""] for n in range(5)]
    data = _csv(rows)
    monkeypatch.setattr(importing, "BATCH", 2)
    written = importing._write_batch
    calls = []

    def dies_in_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the worker was killed")
        return written(*args, **kwargs)

    monkeypatch.setattr(importing, "_write_batch", dies_in_the_second_batch)
    with pytest.raises(RuntimeError):
        people_import(data=data)
    assert sorted(Client.objects.values_list("legacy_id", flat=True)) == ["R0", "R1"]  # the first batch, whole
    monkeypatch.setattr(importing, "_write_batch", written)
    again = people_import(data=data)
    assert (again.created, again.unchanged, again.rejected) == (3, 2, 0)
    assert Client.objects.filter(legacy_id__startswith="R").count() == 5
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, changes__source__1="legacy import").count() == 5


def test_a_file_that_stops_being_utf8_late_on_is_refused_before_any_row_naming_the_line(tmp_path):
    rows = [[f"U{n}", "", "Given", f"Family{n}", "", "", "", ""] for n in range(3000)]
    source = tmp_path / "late.csv"
    source.write_bytes(_csv(rows) + "U3000,,Zoë,Late,,,,\n".encode("latin-1"))
    with source.open("rb") as handle, pytest.raises(FileRefused, match="not UTF-8.*line 3002"):
        people_import(data=handle)
    assert not Client.objects.exists()


def test_an_import_read_from_a_file_keeps_its_memory_whatever_the_size_of_the_file(tmp_path, monkeypatch):
    """The file is read as the rows are, and the report goes to a temporary file: eight times the rows
    needs about the same memory."""
    import tracemalloc

    from clients import importing

    monkeypatch.setattr(importing, "BATCH", 250)

    def peak(rows: int) -> int:
        source = tmp_path / f"{rows}.csv"
        source.write_bytes(_csv([[f"M{rows}-{n}", "", "Given", f"Family{n}", "1950-01-01", "F", "CT1 1AA", ""]
                                 for n in range(rows)]))
        with source.open("rb") as handle:
            tracemalloc.start()
            result = people_import(data=handle)
            high = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert result.created == rows
        return high

    small, large = peak(500), peak(4000)
    assert large < small * 1.5, (small, large)
    assert Client.objects.count() == 4500
