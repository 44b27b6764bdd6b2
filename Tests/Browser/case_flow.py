"""The web interface in a real headless Chromium, started by scripts/test.

Logs in as the demo people and takes Botkyrka's PO redovisning 2020 (loaded
by `blankett demo` with the real figures) through the steps: Swedish number
formats typed by hand, the error summary for a wrong age sum, the fix, the
review page, sending to signing, signing, registering, the decision and
sending. Every page visited is checked with axe-core (WCAG 2.1 A and AA);
one step is completed with the keyboard only. Screenshots go to ARTIFACTS.

Environment: BLANKETT_URL (the running server), ARTIFACTS (a folder).
"""
import os
import sys


import axe_playwright_python
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["BLANKETT_URL"].rstrip("/")
ARTIFACTS = os.environ.get("ARTIFACTS", "artifacts")
PASSWORD = "blankett-demo"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# axe-core 4.x, as bundled (only the script is used, with Selenium) by the
# axe-playwright-python package; installed without its Playwright dependency.
with open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js"), encoding="utf-8") as axe_file:
    AXE_SOURCE = axe_file.read()

failures = []
checked_pages = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def report(flow):
    """What axe checked; exits with 1 when any check of the flow failed."""
    print(f"axe checked {len(checked_pages)} pages: {', '.join(checked_pages)}")
    if failures:
        print(f"{len(failures)} {flow} check(s) failed")
        sys.exit(1)
    print(f"{flow} flow passed")


def browser(extra_arguments=()):
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600", "--lang=sv-SE", *extra_arguments]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(120)
    return driver


def accessible(driver, name):
    driver.execute_script(AXE_SOURCE)
    # WebDriver waits for the promise axe.run returns.
    results = driver.execute_script("return axe.run(document, arguments[0]);", WCAG)
    checked_pages.append(name)
    for violation in results["violations"]:
        targets = [node["target"] for node in violation["nodes"]][:3]
        check(False, f"axe on {name}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")


def submitting(driver, action):
    """Runs `action` (a click or Enter that submits a form) and waits for the next page."""
    old = driver.find_element(By.TAG_NAME, "html")
    action()

    def replaced(_):
        # Chromium reports a node of the previous page either as stale or as
        # "does not belong to the document"; both mean the next page is there.
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, 30).until(replaced)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def click(driver, css):
    button = driver.find_element(By.CSS_SELECTOR, css)
    submitting(driver, button.click)


def log_in(driver, email):
    driver.delete_all_cookies()
    driver.get(BASE + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click(driver, "main button[type=submit]")
    check(driver.current_url.rstrip("/") == BASE, f"{email} lands on the dashboard, not {driver.current_url}")


def confirm_and_do(driver, command):
    """Ticks the transition's confirmation box, then presses its button."""
    driver.find_element(By.ID, f"confirm-{command}").click()
    click(driver, f"form[action$='/do/{command}'] button")


def type_into(driver, element_id, text):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def save_and_continue(driver):
    click(driver, "button[value=continue]")


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver = browser()
    try:
        driver.get(BASE + "/login")
        accessible(driver, "login")
        log_in(driver, "handlaggare@botkyrka.example")
        accessible(driver, "dashboard (editor)")
        submitting(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "redovisning 2020").click)
        case_url = driver.current_url
        accessible(driver, "case page")

        # Every step of the form, in order, from the first.
        submitting(driver, driver.find_element(By.LINK_TEXT, "Fyll i blanketten").click)
        step = 0
        while "/steps/" in driver.current_url:
            step += 1
            page = driver.current_url.split("/steps/")[1].split("?")[0]
            accessible(driver, f"step {page}")
            if page == "personliga-ombud":
                # Typed the Swedish way: a decimal comma.
                type_into(driver, "f-ombud_tjanster", "2,80")
            if page == "klienter-steg":
                # Keyboard only: Tab from the first cell, type, Tab on, type. The grid is laid out
                # as on paper: the total and its age groups as rows, Kvinnor / Män as columns.
                first = driver.find_element(By.ID, "f-klienter.totalt.totalt.kvinnor")
                first.click()
                active = driver.switch_to.active_element
                active.send_keys(Keys.CONTROL, "a")
                active.send_keys("83")
                active.send_keys(Keys.TAB)
                active = driver.switch_to.active_element
                check(active.get_attribute("id") == "f-klienter.totalt.totalt.man", "Tab moves to the next cell")
                active.send_keys(Keys.CONTROL, "a")
                active.send_keys("67")  # 66 is right: the men's ages no longer add up to the total
                driver.save_screenshot(os.path.join(ARTIFACTS, "step-klienter.png"))
                submitting(driver, lambda: active.send_keys(Keys.ENTER))
                summary = driver.find_elements(By.CSS_SELECTOR, ".summary[role=alert]")
                check(bool(summary), "a wrong age sum gives an error summary")
                check(summary and "klienter" in summary[0].get_attribute("innerHTML"), "the summary links to the grid")
                accessible(driver, "step klienter with errors")
                driver.save_screenshot(os.path.join(ARTIFACTS, "step-errors.png"))
                type_into(driver, "f-klienter.totalt.totalt.man", "66")
                save_and_continue(driver)
                check("/steps/kontakt-med-verksamheten" in driver.current_url, f"fixed, on to the next step: {driver.current_url}")
                continue
            if page == "ekonomi":
                type_into(driver, "f-forbrukat_belopp", "1 127 386 kr")
            if page == "underskrift-av-behorig-foretradare":
                # The real form was dated 2020-01-04, a slip for 2021-01-04.
                type_into(driver, "f-underskrift.datum", "2021-01-04")
            save_and_continue(driver)
            if "kontroll=1" in driver.current_url:
                driver.save_screenshot(os.path.join(ARTIFACTS, f"unexpected-errors-{page}.png"))
                summary = driver.find_elements(By.CSS_SELECTOR, ".summary[role=alert]")
                check(False, f"step {page} kept errors: {summary[0].text if summary else '?'}")
                break
            check(step < 30, "the steps end")
            if step >= 30:
                break
        check(driver.current_url.endswith("/review"), f"the last step leads to the review page, not {driver.current_url}")
        check("Kontrollera dina svar" in driver.page_source, "review page")
        check("1 127 386 kr" in driver.page_source, "kronor shown the Swedish way")
        check("fel att rätta" not in driver.page_source, "no errors left on the review page")
        accessible(driver, "review")
        driver.save_screenshot(os.path.join(ARTIFACTS, "review.png"))

        # The other forms: start their cases and check every step (the demo's ansökan 2021 is sent already).
        for title in ["rekvisition 2020", "återrapportering 2020"]:
            driver.get(BASE + "/")
            forms = [f for f in driver.find_elements(By.CSS_SELECTOR, "form[action='/cases']") if title in f.text]
            check(bool(forms), f"a {title} round can be started")
            if not forms:
                continue
            submitting(driver, forms[0].find_element(By.TAG_NAME, "button").click)
            other_case = driver.current_url
            submitting(driver, driver.find_element(By.LINK_TEXT, "Fyll i blanketten").click)
            steps = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "nav .steps a")]
            check(len(steps) >= 5, f"{title} has its steps")
            for href in steps:
                driver.get(href + "?kontroll=1")
                accessible(driver, f"{title}: {href.split('/steps/')[1]}")
            driver.get(other_case + "/review")
            accessible(driver, f"{title}: review with errors")

        driver.get(case_url)
        # Botkyrka's real contact reasons outnumber its new clients (79 and 76 women, 47 men
        # against 50 and 36): three warnings, each commented before the form is ready.
        acknowledgements = driver.find_elements(By.CSS_SELECTOR, "form[action$='/do/mark_ready'] textarea[name^='ack.']")
        check(len(acknowledgements) == 3, f"the three contact-reason warnings are asked about, not {len(acknowledgements)}")
        for acknowledgement in acknowledgements:
            acknowledgement.send_keys("Kontrollerat: orsakerna räknades för alla klienter under året.")
        confirm_and_do(driver, "mark_ready")
        check("Klar för underskrift" in driver.page_source, "sent to signing")

        log_in(driver, "chef@botkyrka.example")
        waiting = driver.find_elements(By.CSS_SELECTOR, "ul.waiting a")
        check(any(case_url.endswith(a.get_attribute("href").split(BASE)[-1]) for a in waiting), "the case waits for the signatory's signature")
        accessible(driver, "dashboard (signatory)")
        driver.get(case_url)
        accessible(driver, "case page (signatory)")
        driver.find_element(By.ID, "password-sign").send_keys(PASSWORD)
        click(driver, "form[action$='/do/sign'] button")
        check("Undertecknad" in driver.page_source, "signed")

        log_in(driver, "sekreterare@botkyrka.example")
        accessible(driver, "dashboard (secretary)")
        driver.save_screenshot(os.path.join(ARTIFACTS, "dashboard-secretary.png"))
        driver.get(case_url)
        confirm_and_do(driver, "register")
        problem = [p.text for p in driver.find_elements(By.CSS_SELECTOR, ".problem")]
        check("SN " in driver.page_source and "Registrerad" in driver.page_source, f"registered with an automatic number {problem}")
        accessible(driver, "case page (secretary, registered)")
        driver.find_element(By.ID, "meeting").send_keys("2021-01-26")
        type_into(driver, "paragraph", "§ 8")
        type_into(driver, "decision-text", "Socialnämnden godkänner redovisningen av statsbidraget för personligt ombud 2020.")
        confirm_and_do(driver, "decide")
        check("Beslutad" in driver.page_source, "decided")
        confirm_and_do(driver, "send")
        check("Skickad" in driver.page_source, "sent")
        driver.save_screenshot(os.path.join(ARTIFACTS, "case-sent.png"))

        # The grant cycle: Länsstyrelsen's decision on the ansökan 2021, recorded by the
        # secretary, becomes the redovisning 2021's granted amount and posts.
        driver.get(BASE + "/")
        submitting(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "ansökan 2021").click)
        application_url = driver.current_url
        check("Mottagen" in driver.page_source, "the demo's ansökan has been received")
        check(driver.find_element(By.ID, "gdnr-record_grant").get_attribute("value") == "821-41234-2020", "the receipt's diarienummer is offered")
        type_into(driver, "gdate-record_grant", "2021-02-10")
        type_into(driver, "grant-beviljat_statsbidrag", "1 127 386")
        type_into(driver, "grant-beviljade_arsanstallningar", "två komma åtta")
        confirm_and_do(driver, "record_grant")
        problem = " ".join(p.text for p in driver.find_elements(By.CSS_SELECTOR, ".problem"))
        check("Beviljade årsanställningar" in problem, f"a value that is no number is refused by name: {problem}")
        type_into(driver, "gdate-record_grant", "2021-02-10")
        type_into(driver, "grant-beviljat_statsbidrag", "1 127 386")
        type_into(driver, "grant-beviljade_arsanstallningar", "2,80")
        confirm_and_do(driver, "record_grant")
        check("registrerade myndighetens beslut 821-41234-2020 den 2021-02-10" in driver.page_source, "the decision is in the case's events")
        accessible(driver, "case page (decision recorded)")
        driver.save_screenshot(os.path.join(ARTIFACTS, "authority-decision.png"))

        # The secretary's filter, without JavaScript: a GET form.
        driver.get(BASE + "/")
        Select(driver.find_element(By.ID, "filter-state")).select_by_value("sent")
        click(driver, "form.filter button")
        check("state=sent" in driver.current_url and case_url.split(BASE)[-1] in driver.page_source, "the filter shows the sent case")
        accessible(driver, "dashboard (secretary, filtered)")

        log_in(driver, "handlaggare@botkyrka.example")
        forms = [f for f in driver.find_elements(By.CSS_SELECTOR, "form[action='/cases']") if "redovisning 2021" in f.text]
        check(len(forms) == 1, "the redovisning 2021 can be started")
        if forms:
            submitting(driver, forms[0].find_element(By.TAG_NAME, "button").click)
            check("Länsstyrelsen Stockholm, stockholm@lansstyrelsen.se, senast 15 januari 2022" in driver.page_source, "the round's recipient and deadline")
            driver.get(driver.current_url + "/steps/ekonomi")
            check("1 127 386" in driver.page_source and "2,80" in driver.page_source, "the redovisning starts with the decision's amount and posts")
            accessible(driver, "redovisning 2021: ekonomi, prefilled")

        # A kommun in Skåne sees Länsstyrelsen Skåne's rounds, not Stockholm's.
        log_in(driver, "handlaggare@trelleborg.example")
        check("Länsstyrelsen Skåne" in driver.page_source and "Länsstyrelsen Stockholm" not in driver.page_source, "Trelleborg's rounds are Skåne's")
        forms = [f for f in driver.find_elements(By.CSS_SELECTOR, "form[action='/cases']") if "ansökan 2021" in f.text]
        if forms:
            submitting(driver, forms[0].find_element(By.TAG_NAME, "button").click)
            check("skane@lansstyrelsen.se, senast 1 mars 2021" in driver.page_source, "Trelleborg's ansökan goes to Skåne by 1 March")
            check("{authority.email}" not in driver.page_source and "skane@lansstyrelsen.se senast den 1 mars 2021" in driver.page_source,
                  "the form's introduction names Skåne's address and deadline")
        else:
            check(False, "Trelleborg can start an ansökan 2021")

        log_in(driver, "admin@botkyrka.example")
        click(driver, "a[href^='/admin/']")
        check("Personer och roller" in driver.page_source, "the administrator's page")
        accessible(driver, "administration")
        driver.save_screenshot(os.path.join(ARTIFACTS, "administration.png"))
    finally:
        driver.quit()
    report("browser")


if __name__ == "__main__":
    main()
