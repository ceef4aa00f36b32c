"""The administrator sets up the register of providers and care settings, from `make run`'s demo
data: finds the demo hospital, adds a care home (a mistake first), adds a ward, imports a CSV file
and reads its report; a practitioner looks a setting up and sees no set-up buttons."""

import pytest
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]

CSV = ("provider_name,setting_name,setting_type,cqc_location_id,town,postcode,locality\n"
       "Synthetic Homes Ltd,Cedar Lodge,care_home,1-999700001,Margate,CT9 1ZZ,Thanet\n"
       "Synthetic Homes Ltd,Birch Lodge,castle,,Margate,,Thanet\n")


def test_administrator_sets_up_the_register_and_a_practitioner_looks_it_up(live_server, page, e2e_roles, tmp_path):
    demo_load()
    base, password = live_server.url, demo_password()
    sign_in(page, base, "admin", password)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Providers and care settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Providers and care settings")
    expect(page.get_by_role("link", name="Stour Valley Hospital", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a care setting").click()
    page.get_by_label("Provider").select_option(label="Orchard Care Group (demo)")
    page.get_by_label("Name of the setting").fill("Apple Tree House")
    page.get_by_label("Type of setting").select_option(label="Care home without nursing (residential)")
    page.get_by_label("Town or city").fill("Whitstable")
    page.get_by_role("button", name="Add the care setting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the CQC location ID")
    expect(page.get_by_label("Town or city")).to_have_value("Whitstable")
    assert_accessible(page)
    page.get_by_label("CQC location ID").fill("1-999700099")
    page.get_by_role("button", name="Add the care setting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Apple Tree House")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("added to the register")
    assert_accessible(page)

    page.get_by_role("link", name="Providers and care settings").click()
    page.get_by_role("link", name="Stour Valley Hospital", exact=True).click()
    page.get_by_label("Ward name").fill("Ward 7")
    page.get_by_role("button", name="Add the ward").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already has a ward")
    assert_accessible(page)
    page.get_by_label("Ward name").fill("Kingfisher Ward")
    page.get_by_role("button", name="Add the ward").click()
    expect(page.get_by_role("cell", name="Kingfisher Ward", exact=True)).to_be_visible()

    page.get_by_role("link", name="Providers and care settings").click()
    page.get_by_role("button", name="Import from a CSV file").click()
    page.get_by_role("button", name="Import the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a CSV file to import")
    assert_accessible(page)
    upload = tmp_path / "register.csv"
    upload.write_text(CSV)
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import report")
    expect(page.get_by_role("row", name="2 Synthetic Homes Ltd / Cedar Lodge Added")).to_be_visible()
    expect(page.get_by_text("Setting type ‘castle’ is not one of")).to_be_visible()
    assert_accessible(page)
    page.locator(".ascm-header__signout-button").click()

    sign_in(page, base, "practitioner", password)
    page.goto(f"{base}/organisation/providers/?q=Cedar")
    page.get_by_role("link", name="Cedar Lodge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cedar Lodge")
    expect(page.get_by_role("button", name="Close Cedar Lodge")).to_have_count(0)
    expect(page.get_by_role("link", name="Change details")).to_have_count(0)
    assert_accessible(page)
