"""The register of providers and care settings: set up in the browser and the API, imported from
CSV (idempotent, with a per-row report), closed and never deleted; everyone looks it up."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ascm.core.csvfiles import FileRefused
from ascm.providers import services
from ascm.providers.models import CareSetting, Provider, ProviderImport, Ward
from tests.conftest import as_user

from .factories import CareSettingFactory, HospitalFactory, ProviderFactory

pytestmark = pytest.mark.django_db

CSV = (
    "provider_name,provider_type,cqc_provider_id,setting_name,setting_type,cqc_location_id,town,postcode,locality,beds,ward\n"
    "Synthetic Trust,nhs_trust,,Synthetic General,hospital,,Canterbury,ct1 3zz,Canterbury,400,Ward 7\n"
    "Synthetic Trust,nhs_trust,,Synthetic General,hospital,,Canterbury,ct1 3zz,Canterbury,400,Harbour Ward\n"
    "Meadow Care,independent,1-999300000,Meadow House,Care home without nursing (residential),1-999300001,Herne Bay,CT6 9ZZ,Canterbury,30,\n"
    "Meadow Care,independent,1-999300000,Meadow Nursing,nursing_home,1-999300002,Herne Bay,CT6 8ZZ,,40,\n"
    "=HYPERLINK(\"x\"),independent,,Odd Home,castle,,,,,,\n"
    "Meadow Care,independent,1-999300000,Meadow Day Centre,day_service,,Herne Bay,,Nowhere,,\n"
)


def test_a_care_home_needs_its_cqc_location_and_closing_keeps_it():
    provider = ProviderFactory()
    with pytest.raises(ValidationError) as refused:
        services.setting_create(provider=provider, name="Synthetic House", kind=CareSetting.Kind.CARE_HOME)
    assert "cqc_location_id" in refused.value.message_dict
    hospital = services.setting_create(provider=provider, name="Synthetic Hospital", kind=CareSetting.Kind.HOSPITAL,
                                       postcode="ct13zz")
    assert hospital.postcode == "CT1 3ZZ"
    ward = services.ward_add(setting=hospital, name="Ward 7", specialty="Elderly care")
    with pytest.raises(ValidationError, match="already has a ward"):
        services.ward_add(setting=hospital, name="ward 7")
    services.provider_close(provider=provider, closed_on=timezone.localdate())
    hospital.refresh_from_db()
    ward.refresh_from_db()
    assert hospital.closed_on == ward.closed_on == timezone.localdate()
    assert not CareSetting.objects.open().filter(pk=hospital.pk).exists()
    with pytest.raises(NotImplementedError):
        hospital.delete()
    with pytest.raises(ValidationError, match="already closed"):
        services.setting_close(setting=hospital)


def test_wards_belong_to_hospitals_and_a_cqc_id_is_held_once():
    home = CareSettingFactory(cqc_location_id="1-999400001")
    with pytest.raises(ValidationError) as refused:
        services.ward_add(setting=home, name="Ward 1")
    assert "setting" in refused.value.message_dict
    with pytest.raises(ValidationError) as duplicate:
        services.setting_create(provider=home.provider, name="Other", kind=CareSetting.Kind.CARE_HOME,
                                cqc_location_id="1-999400001")
    assert duplicate.value.message_dict["cqc_location_id"] == ["Another setting in the register has this CQC location ID"]


def test_import_reports_every_row_and_running_it_again_changes_nothing(canterbury, administrator):
    first = services.providers_import(data=CSV.encode(), filename="register.csv", user=administrator)
    assert (first.rows, first.created, first.updated, first.rejected) == (6, 3, 1, 2)
    outcomes = {row[0]: (row[2], row[3]) for row in first.report}
    assert outcomes[3] == ("updated", "")  # the second ward of the same hospital
    assert outcomes[6][0] == "rejected" and "setting type ‘castle’" in outcomes[6][1].lower()
    assert outcomes[7] == ("rejected", "There is no locality called ‘Nowhere’")
    assert not Provider.objects.filter(name__startswith="=").exists()  # a rejected row leaves nothing behind
    hospital = CareSetting.objects.get(name="Synthetic General")
    assert hospital.postcode == "CT1 3ZZ" and hospital.locality == canterbury and hospital.beds == 400
    assert sorted(hospital.wards.values_list("name", flat=True)) == ["Harbour Ward", "Ward 7"]
    assert CareSetting.objects.get(name="Meadow Nursing").provider == CareSetting.objects.get(name="Meadow House").provider
    # A spreadsheet would run the rejected provider's name as a formula: the report keeps it text.
    assert "'=HYPERLINK" in services.provider_import_report_csv(first)

    again = services.providers_import(data=CSV.encode(), filename="register.csv", user=administrator)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 4, 2)
    assert CareSetting.objects.count() == 3 and Ward.objects.count() == 2 and Provider.objects.count() == 2
    assert ProviderImport.objects.count() == 2

    changed = CSV.replace("Meadow House,Care home without nursing (residential),1-999300001,Herne Bay,CT6 9ZZ,Canterbury,30",
                          "Meadow House,care_home,1-999300001,Herne Bay,CT6 9ZZ,Canterbury,32")
    third = services.providers_import(data=changed.encode(), filename="register.csv", user=administrator)
    assert third.updated == 1 and CareSetting.objects.get(name="Meadow House").beds == 32


def test_a_file_without_the_needed_columns_is_refused_whole():
    with pytest.raises(FileRefused, match="missing the column: setting_type"):
        services.providers_import(data=b"provider_name,setting_name\nA,B\n", filename="x.csv")
    with pytest.raises(FileRefused, match="not UTF-8"):
        services.providers_import(data="provider_name\n\xa3".encode("latin-1"), filename="x.csv")
    assert not ProviderImport.objects.exists()


def test_the_api_sets_up_the_register_with_field_errors(api, administrator, practitioner):
    as_user(api, administrator)
    provider = api.post("/api/v1/providers/", {"name": "Synthetic Care", "kind": "independent"}, format="json")
    assert provider.status_code == 201, provider.json()
    refused = api.post("/api/v1/care-settings/", {"provider": provider.json()["id"], "name": "X", "kind": "care_home"},
                       format="json")
    assert refused.status_code == 400 and "cqc_location_id" in refused.json()["errors"]
    bad_id = api.post("/api/v1/care-settings/", {"provider": provider.json()["id"], "name": "X", "kind": "care_home",
                                                 "cqc_location_id": "CQC123"}, format="json")
    assert bad_id.status_code == 400 and bad_id.json()["errors"]["cqc_location_id"] == ["Enter a CQC ID like 1-101234567"]
    hospital = api.post("/api/v1/care-settings/", {"provider": provider.json()["id"], "name": "Synthetic Hospital",
                                                   "kind": "hospital"}, format="json")
    assert hospital.status_code == 201
    ward = api.post("/api/v1/wards/", {"setting": hospital.json()["id"], "name": "Ward 9"}, format="json")
    assert ward.status_code == 201
    closed = api.post(f"/api/v1/care-settings/{hospital.json()['id']}/close/", {"closed_on": str(timezone.localdate())},
                      format="json")
    assert closed.status_code == 200 and closed.json()["closed_on"] == str(timezone.localdate())
    assert closed.json()["wards"][0]["closed_on"] == str(timezone.localdate())
    assert api.delete(f"/api/v1/care-settings/{hospital.json()['id']}/").status_code == 405
    listed = api.get("/api/v1/care-settings/").json()
    assert listed["count"] == 0  # closed settings only with include_closed
    assert api.get("/api/v1/care-settings/?include_closed=true").json()["count"] == 1

    # A practitioner looks the register up, and may not change it.
    as_user(api, practitioner)
    assert api.get("/api/v1/care-settings/?include_closed=true").status_code == 200
    assert api.post("/api/v1/providers/", {"name": "Mine", "kind": "independent"}, format="json").status_code == 403
    assert api.post(f"/api/v1/providers/{provider.json()['id']}/close/", {}, format="json").status_code == 403


def test_the_api_imports_a_csv(api, administrator, practitioner, canterbury):
    as_user(api, administrator)
    response = api.post("/api/v1/care-settings/import/", {"filename": "r.csv", "content": CSV}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 3 and len(response.json()["report"]) == 6
    refused = api.post("/api/v1/care-settings/import/", {"filename": "r.csv", "content": "a,b\n1,2\n"}, format="json")
    assert refused.status_code == 400 and "missing the columns" in refused.json()["errors"]["content"][0]
    assert api.post("/api/v1/care-settings/import/", {"content": CSV}, format="json").json()["errors"]["filename"]
    as_user(api, practitioner)
    assert api.post("/api/v1/care-settings/import/", {"filename": "r.csv", "content": CSV},
                    format="json").status_code == 403


def test_administrator_sets_up_a_care_home_in_the_browser(client, administrator, canterbury):
    provider = ProviderFactory(name="Synthetic Care Group")
    client.force_login(administrator)
    page = client.post("/organisation/providers/settings/new/", {"provider": provider.pk, "name": "Synthetic House",
                                                                 "kind": "care_home", "town": "Whitstable"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem" in html and "Enter the CQC location ID" in html
    assert 'value="Whitstable"' in html and 'value="Synthetic House"' in html  # nothing typed is lost
    done = client.post("/organisation/providers/settings/new/", {
        "provider": provider.pk, "name": "Synthetic House", "kind": "care_home", "town": "Whitstable",
        "cqc_location_id": "1-999500001", "locality": canterbury.pk, "beds": "30"})
    setting = CareSetting.objects.get(name="Synthetic House")
    assert done.status_code == 302 and done["Location"] == f"/organisation/providers/settings/{setting.pk}/"
    closing = client.post(f"/organisation/providers/settings/{setting.pk}/close/",
                          {"closed_on_0": "31", "closed_on_1": "2", "closed_on_2": "2027"})
    assert closing.status_code == 400 and "real date" in closing.content.decode()
    client.post(f"/organisation/providers/settings/{setting.pk}/close/", {})
    setting.refresh_from_db()
    assert setting.closed_on == timezone.localdate()
    detail = client.get(f"/organisation/providers/settings/{setting.pk}/").content.decode()
    assert "Closed" in detail and "Close Synthetic House" not in detail


def test_administrator_imports_in_the_browser_and_reads_the_report(client, administrator, canterbury):
    client.force_login(administrator)
    empty = client.post("/organisation/providers/import/", {})
    assert empty.status_code == 400 and "Choose a CSV file to import" in empty.content.decode()
    done = client.post("/organisation/providers/import/", {"file": SimpleUploadedFile("register.csv", CSV.encode())})
    run = ProviderImport.objects.get()
    assert done["Location"] == f"/organisation/providers/import/{run.pk}/"
    report = client.get(done["Location"]).content.decode()
    assert "There is no locality called ‘Nowhere’" in report and "Rejected" in report
    download = client.get(done["Location"] + "?format=csv")
    assert download["Content-Type"].startswith("text/csv") and b"'=HYPERLINK" in download.content


def test_practitioners_look_it_up_but_cannot_change_it(client, practitioner, django_assert_max_num_queries):
    for n in range(30):
        CareSettingFactory(cqc_location_id=f"1-99960{n:05d}")
    hospital = HospitalFactory()
    client.force_login(practitioner)
    with django_assert_max_num_queries(12):
        page = client.get("/organisation/providers/?kind=care_home")
    assert page.status_code == 200 and "30 settings" in page.content.decode()
    assert "Add a care setting" not in page.content.decode()
    assert client.get(f"/organisation/providers/settings/{hospital.pk}/").status_code == 200
    assert client.post("/organisation/providers/settings/new/", {}).status_code == 403
    assert client.post(f"/organisation/providers/settings/{hospital.pk}/close/", {}).status_code == 403
    assert client.get("/organisation/providers/import/").status_code == 403
    hospital.refresh_from_db()
    assert hospital.closed_on is None


def test_finance_looks_the_register_up_and_an_auditor_has_no_register_pages(client, auditor, canterbury_team):
    from ascm.accounts import roles
    from tests.factories import UserFactory, member

    finance = member(UserFactory(), canterbury_team, roles.FINANCE_OFFICER).user
    client.force_login(finance)
    assert client.get("/organisation/providers/").status_code == 200  # who is paid
    client.force_login(auditor)
    assert client.get("/organisation/providers/").status_code == 403


def test_closing_in_the_future_is_allowed_up_to_a_year(administrator):
    setting = CareSettingFactory()
    services.setting_close(setting=setting, closed_on=timezone.localdate() + datetime.timedelta(days=30))
    setting.refresh_from_db()
    assert setting.is_open  # still open until that day
