"""Sign-in through Botkyrka's OpenID Provider in a real headless Chromium.

The provider (Tests/OIDC/provider.py, pyop) runs on loopback over https with
a certificate of its own, so this browser ignores certificate errors (only
the provider's; Blankett itself is plain http on loopback here). Started by
scripts/browser-test after case_flow.py, with the provider configured for
Botkyrka by `blankett admin set-oidc`. Every Blankett page is checked with axe.

Environment: BLANKETT_URL, ARTIFACTS, OIDC_ISSUER.
"""
import os

from selenium.webdriver.common.by import By

from case_flow import ARTIFACTS, BASE, accessible, browser, check, click, report, submitting

ISSUER = os.environ["OIDC_ISSUER"].rstrip("/")


def sign_in_at_provider(driver, login):
    driver.delete_all_cookies()
    driver.get(BASE + "/login")
    submitting(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Logga in med Botkyrka").click)
    check(driver.current_url.startswith(ISSUER + "/authorize?"), f"the provider's page, not {driver.current_url}")
    check("Testkommunens inloggning" in driver.page_source, "the provider asks who you are")
    driver.find_element(By.ID, "username").send_keys(login)
    driver.find_element(By.ID, "password").send_keys("idp-demo")
    click(driver, "button[type=submit]")


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver = browser(["--ignore-certificate-errors"])
    try:
        driver.get(BASE + "/login")
        check("Med din organisations inloggning" in driver.page_source, "the login page offers Botkyrka's provider")
        accessible(driver, "login with a provider")

        sign_in_at_provider(driver, "jennifer")
        check(driver.current_url.rstrip("/") == BASE, f"back on the dashboard, not {driver.current_url}")
        check("Sara Lind" in driver.page_source, "signed in as the editor (Sara Lind in the demo)")
        accessible(driver, "dashboard after the provider")
        driver.save_screenshot(os.path.join(ARTIFACTS, "oidc-dashboard.png"))

        click(driver, "form[action='/logout'] button")
        check("Du är utloggad från Blankett" in driver.page_source, "logged out of Blankett, offered the provider's logout")
        accessible(driver, "logged out (provider)")
        submitting(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Logga ut från organisationens inloggning").click)
        check(driver.current_url.startswith(BASE + "/login"), f"the provider sends the browser back to the login, not {driver.current_url}")

        sign_in_at_provider(driver, "okand")
        check("inte upplagd i Blankett" in driver.page_source, "someone the provider knows but Blankett does not is refused")
        accessible(driver, "refused sign-in")

        sign_in_at_provider(driver, "admin")
        click(driver, "a[href^='/admin/']")
        check("Nekade inloggningar" in driver.page_source and "okand@botkyrka.example" in driver.page_source, "the administrator sees the refusal")
        accessible(driver, "administration with a provider")
        driver.save_screenshot(os.path.join(ARTIFACTS, "oidc-administration.png"))
    finally:
        driver.quit()
    report("provider sign-in")


if __name__ == "__main__":
    main()
