import Mustache

/// The HTML templates (swift-mustache, which escapes `{{value}}` by default).
/// Kept in the binary rather than in resource files, so that a deployed
/// server cannot run with templates of another version.
enum Templates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in all { try library.register(text, named: name) }
        return library
    }

    static let all: [(String, String)] = [
        ("layout", layout), ("login", login), ("dashboard", dashboard), ("case", casePage),
        ("step", step), ("review", review), ("field", field), ("message", message), ("verify", verify), ("error", error), ("admin", admin),
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="sv">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} – Blankett</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4;line-height:1.5}
        a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f0a500;outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px}
        header{background:#1d3557;color:#fff;padding:12px 24px;display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap}
        header a{color:#fff}header form{display:inline}header button{background:none;border:1px solid #fff;color:#fff;padding:4px 10px;cursor:pointer}
        main{max-width:960px;margin:0 auto;padding:16px 24px 48px;background:#fff;min-height:70vh}
        h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.8rem}
        label,legend{font-weight:600;display:block;margin-bottom:4px}
        .hint{color:#4a4a4a;font-size:.95rem;margin:0 0 6px}.ordinance{color:#4a4a4a;font-size:.85rem}
        .field{margin:18px 0}.field input[type=text],.field input[type=email],.field input[type=date],.field input[type=password],.field textarea,.field select{font-size:1rem;padding:6px 8px;border:2px solid #555;border-radius:2px;max-width:100%}
        .field textarea{width:100%;min-height:6rem}.field input[type=text]{width:24rem}
        .field.has-error{border-left:5px solid #b00020;padding-left:12px}.field.has-warning{border-left:5px solid #8a5a00;padding-left:12px}
        .error{color:#b00020;font-weight:600;margin:4px 0}.warning{color:#6b4500;font-weight:600;margin:4px 0}
        .summary{border:3px solid #b00020;padding:12px 16px;margin:16px 0}.summary.warnings{border-color:#8a5a00}
        .readonly{background:#eef1f5;padding:6px 10px;display:inline-block;border-radius:2px}
        fieldset{border:1px solid #bbb;margin:12px 0;padding:8px 14px}
        table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}
        table{max-width:100%}.field td input[type=text]{width:5rem}
        .steps{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px;font-size:.9rem}.steps .current{font-weight:700}
        .buttons{margin-top:24px;display:flex;gap:12px;flex-wrap:wrap}
        button,.button{font-size:1rem;padding:8px 16px;border:2px solid #1d3557;background:#1d3557;color:#fff;cursor:pointer;text-decoration:none;border-radius:2px}
        button.secondary,.button.secondary{background:#fff;color:#1d3557}
        .state{display:inline-block;padding:2px 8px;border-radius:10px;background:#e3e8f0;font-size:.9rem}
        .overdue{color:#b00020;font-weight:700}.due-soon{color:#6b4500;font-weight:700}
        .flash{background:#e6f4ea;border:2px solid #1e7b34;padding:8px 12px}.problem{background:#fdecea;border:2px solid #b00020;padding:8px 12px}
        dl.answers dt{font-weight:600;margin-top:8px}dl.answers dd{margin-left:0}
        .transition{border:1px solid #bbb;padding:10px 14px;margin:10px 0}
        label.inline{display:inline-block;font-weight:400;margin-right:12px}
        .filter fieldset{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:end}.filter label{margin:0}.filter select{font-size:1rem;padding:4px}.filter .buttons{margin:0}
        </style>
        </head>
        <body>
        <a class="skip" href="#content">Hoppa till innehållet</a>
        <header>
        <div><a href="/"><strong>Blankett</strong></a>{{#organisationName}} · {{organisationName}}{{/organisationName}}</div>
        {{#userName}}<div>{{userName}} <form method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Logga ut</button></form></div>{{/userName}}
        </header>
        <main id="content">
        {{#flash}}<p class="flash" role="status">{{flash}}</p>{{/flash}}
        {{#problem}}<div class="problem" role="alert"><p>{{problem}}</p>{{#hasProblemChanges}}<ul>{{#problemChanges}}<li>{{label}}: {{before}} → {{after}}</li>{{/problemChanges}}</ul>{{/hasProblemChanges}}</div>{{/problem}}
        {{{content}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <h1>Logga in</h1>
        <form method="post" action="/login">
        <div class="field"><label for="email">E-postadress</label><input type="email" id="email" name="email" value="{{email}}" autocomplete="username" required></div>
        <div class="field"><label for="password">Lösenord</label><input type="password" id="password" name="password" autocomplete="current-password" required></div>
        <div class="buttons"><button type="submit">Logga in</button></div>
        </form>
        """

    static let dashboard = """
        <h1>Mina ärenden</h1>
        {{#isSignatory}}
        <h2>Väntar på din underskrift</h2>
        {{#hasWaiting}}
        <ul class="waiting">{{#waiting}}<li><a href="/cases/{{id}}">{{title}}</a> – {{organisation}}, sista dag <span class="{{deadlineClass}}">{{deadline}}{{#deadlineNote}} ({{deadlineNote}}){{/deadlineNote}}</span></li>{{/waiting}}</ul>
        {{/hasWaiting}}
        {{^hasWaiting}}<p>Inga blanketter väntar på din underskrift.</p>{{/hasWaiting}}
        {{/isSignatory}}
        <form method="get" action="/" class="filter">
        <fieldset><legend>Visa ärenden</legend>
        <label for="filter-grant">Statsbidrag</label>
        <select id="filter-grant" name="grant"><option value="">Alla</option>{{#grants}}<option value="{{key}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/grants}}</select>
        <label for="filter-state">Status</label>
        <select id="filter-state" name="state"><option value="">Alla</option>{{#states}}<option value="{{key}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select>
        <label for="filter-year">År</label>
        <select id="filter-year" name="year"><option value="">Alla</option>{{#years}}<option value="{{year}}"{{#selected}} selected{{/selected}}>{{year}}</option>{{/years}}</select>
        <div class="buttons"><button type="submit" class="secondary">Visa</button>{{#filtered}} <a href="/">Visa alla</a>{{/filtered}}</div>
        </fieldset>
        </form>
        {{#organisations}}
        <h2>{{name}}</h2>
        <p>Dina roller: {{roles}}{{#isAdmin}} · <a href="/admin/{{organisationID}}">Administrera {{name}}</a>{{/isAdmin}}</p>
        {{#hasCases}}
        <table>
        <caption class="hint">Ärenden, efter sista dag</caption>
        <thead><tr><th scope="col">Blankett</th><th scope="col">Status</th><th scope="col">Sista dag</th><th scope="col">Nästa steg</th></tr></thead>
        <tbody>
        {{#cases}}<tr><td><a href="/cases/{{id}}">{{title}}</a></td><td><span class="state">{{state}}</span></td><td class="{{deadlineClass}}">{{deadline}}{{#deadlineNote}} ({{deadlineNote}}){{/deadlineNote}}</td><td>{{nextAction}}</td></tr>{{/cases}}
        </tbody>
        </table>
        {{/hasCases}}
        {{^hasCases}}{{#hasAnyCases}}<p>Inga ärenden som passar urvalet.</p>{{/hasAnyCases}}{{^hasAnyCases}}<p>Inga ärenden ännu.</p>{{/hasAnyCases}}{{/hasCases}}
        {{#canStart}}
        {{#hasStartable}}
        <h3>Starta ett ärende</h3>
        <ul>{{#startable}}<li><form method="post" action="/cases"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="round" value="{{id}}"><input type="hidden" name="organisation" value="{{organisationID}}">{{title}} – {{authority}}, sista dag {{deadline}} <button type="submit" class="secondary">Starta</button></form></li>{{/startable}}</ul>
        {{/hasStartable}}
        {{/canStart}}
        {{/organisations}}
        """

    static let admin = """
        <h1>Administration – {{name}}</h1>
        <p>Organisationsnummer {{organisationsnummer}}. <a href="/">Tillbaka till ärendena</a></p>
        <h2 id="personer">Personer och roller</h2>
        <table>
        <caption class="hint">Roller i {{name}}. En person kan ha flera roller.</caption>
        <thead><tr><th scope="col">Namn</th><th scope="col">E-post</th><th scope="col">Roller</th></tr></thead>
        <tbody>
        {{#members}}<tr><td>{{name}}{{#title}}<br><span class="hint">{{title}}</span>{{/title}}</td><td>{{email}}</td><td>
        <form method="post" action="/admin/{{organisationID}}/users/{{id}}/roles"><input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Roller för {{name}}</legend>
        {{#roles}}<label class="inline"><input type="checkbox" name="role" value="{{role}}" id="role-{{owner}}-{{role}}"{{#checked}} checked{{/checked}}> {{label}}</label>{{/roles}}
        </fieldset>
        <button type="submit" class="secondary">Spara roller</button></form>
        </td></tr>{{/members}}
        </tbody>
        </table>
        <h3>Lägg till en person</h3>
        <form method="post" action="/admin/{{organisationID}}/users"><input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field"><label for="new-email">E-postadress</label><p class="hint" id="new-email-hint">Finns personen redan i Blankett får hen rollerna här; namn och lösenord ändras inte.</p><input type="email" id="new-email" name="email" value="{{typed_email}}" aria-describedby="new-email-hint" required></div>
        <div class="field"><label for="new-name">Namn</label><input type="text" id="new-name" name="name" value="{{typed_name}}"></div>
        <div class="field"><label for="new-title">Titel</label><input type="text" id="new-title" name="title" value="{{typed_title}}"></div>
        <div class="field"><label for="new-password">Första lösenord</label><p class="hint" id="new-password-hint">Minst 8 tecken. Lämna det till personen på ett säkert sätt.</p><input type="password" id="new-password" name="password" autocomplete="new-password" aria-describedby="new-password-hint"></div>
        <fieldset><legend>Roller</legend>{{#newRoles}}<label class="inline"><input type="checkbox" name="role" value="{{role}}" id="role-{{owner}}-{{role}}"> {{label}}</label>{{/newRoles}}</fieldset>
        <div class="buttons"><button type="submit">Lägg till</button></div>
        </form>
        <h2 id="namnder">Nämnder</h2>
        {{#hasNamnder}}<ul>{{#namnder}}<li>{{name}} (diarieprefix {{prefix}})</li>{{/namnder}}</ul>{{/hasNamnder}}
        {{^hasNamnder}}<p>Inga nämnder ännu. Ärenden behöver en nämnd för att kunna registreras.</p>{{/hasNamnder}}
        <form method="post" action="/admin/{{organisationID}}/namnder"><input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Lägg till en nämnd</legend>
        <div class="field"><label for="namnd-name">Namn</label><input type="text" id="namnd-name" name="namnd_name" value="{{typed_namnd_name}}" required></div>
        <div class="field"><label for="namnd-prefix">Diarieprefix</label><p class="hint" id="namnd-prefix-hint">Bokstäverna i nämndens diarienummer, till exempel SN i SN 2021:1.</p><input type="text" id="namnd-prefix" name="prefix" value="{{typed_prefix}}" aria-describedby="namnd-prefix-hint" required></div>
        <button type="submit" class="secondary">Lägg till nämnd</button>
        </fieldset></form>
        {{#canHaveUnits}}
        <h2 id="enheter">Enheter</h2>
        {{#hasUnits}}<ul>{{#units}}<li>{{name}}</li>{{/units}}</ul>{{/hasUnits}}
        {{^hasUnits}}<p>Inga enheter. En stadsdelsförvaltning eller annan enhet som fyller i egna blanketter läggs till här och använder kommunens organisationsnummer.</p>{{/hasUnits}}
        <form method="post" action="/admin/{{organisationID}}/units"><input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field"><label for="unit-name">Enhetens namn</label><input type="text" id="unit-name" name="unit_name" value="{{typed_unit_name}}" required></div>
        <button type="submit" class="secondary">Lägg till enhet</button></form>
        {{/canHaveUnits}}
        <h2 id="omgangar">Bidragsomgångar</h2>
        <p class="hint">Omgångarna är gemensamma för alla kommuner. Här anger du vad myndigheten beviljat {{name}}; värdena visas förifyllda och låsta i blanketten.</p>
        {{#rounds}}
        <section class="transition"><h3>{{title}}</h3>
        <p>{{form}} · {{authority}} · period {{period}} · sista dag {{deadline}}</p>
        {{#hasInputs}}
        <form method="post" action="/admin/{{organisationID}}/rounds/{{id}}/prefill"><input type="hidden" name="csrf" value="{{csrf}}">
        {{#inputs}}<div class="field"><label for="input-{{roundID}}-{{id}}">{{label}}</label><input type="text" id="input-{{roundID}}-{{id}}" name="input.{{id}}" value="{{value}}"></div>{{/inputs}}
        <button type="submit" class="secondary">Spara beviljade värden</button></form>
        {{/hasInputs}}
        </section>
        {{/rounds}}
        {{^hasRounds}}<p>Inga omgångar ännu.</p>{{/hasRounds}}
        """

    static let casePage = """
        <h1>{{title}}</h1>
        <p><span class="state">{{state}}</span> · {{organisationName}} · period {{period}} · sista dag <span class="{{deadlineClass}}">{{deadline}}</span>{{#namndDnr}} · {{namndDnr}}{{/namndDnr}}{{#authorityDnr}} · myndighetens dnr {{authorityDnr}}{{/authorityDnr}}</p>
        {{#editable}}<p>{{#resumeHref}}<a class="button" href="{{resumeHref}}">Fortsätt där du slutade ({{resumeTitle}})</a> <a class="button secondary" href="/cases/{{id}}/steps/{{firstStep}}">Börja från första steget</a>{{/resumeHref}}{{^resumeHref}}<a class="button" href="/cases/{{id}}/steps/{{firstStep}}">Fyll i blanketten</a>{{/resumeHref}} <a class="button secondary" href="/cases/{{id}}/review">Kontrollera dina svar</a></p>{{/editable}}
        {{^editable}}<p><a class="button secondary" href="/cases/{{id}}/review">Visa svaren</a></p>{{/editable}}
        {{#hasChanges}}
        <h2>Ändrat sedan blanketten skickades tillbaka</h2>
        <table><thead><tr><th scope="col">Fråga</th><th scope="col">Före</th><th scope="col">Nu</th></tr></thead><tbody>
        {{#changes}}<tr><td>{{label}}</td><td>{{before}}</td><td>{{after}}</td></tr>{{/changes}}
        </tbody></table>
        {{/hasChanges}}
        {{#hasTransitions}}<h2>Vad du kan göra</h2>{{/hasTransitions}}
        {{#transitions}}
        <form class="transition" method="post" action="/cases/{{caseID}}/do/{{command}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <h3>{{title}}</h3>
        <p class="hint">{{explanation}}</p>
        {{#warnings}}<div class="field has-warning"><label for="ack-{{index}}">Varning: {{message}} – kommentera varför uppgiften stämmer</label><textarea id="ack-{{index}}" name="ack.{{key}}" required></textarea></div>{{/warnings}}
        {{#needsComment}}<div class="field"><label for="comment-{{command}}">Kommentar</label><textarea id="comment-{{command}}" name="comment" required></textarea></div>{{/needsComment}}
        {{#needsPassword}}<div class="field"><label for="password-{{command}}">Ditt lösenord (krävs för att skriva under)</label><input type="password" id="password-{{command}}" name="password" autocomplete="current-password" required></div>{{/needsPassword}}
        {{#needsNamndDnr}}<div class="field"><label for="dnr-{{command}}">Nämndens diarienummer</label><p class="hint" id="dnr-hint">Till exempel SN 2021:1. Lämna tomt för nästa lediga nummer.</p><input type="text" id="dnr-{{command}}" name="diarienummer" aria-describedby="dnr-hint"></div>{{/needsNamndDnr}}
        {{#needsDecision}}
        <div class="field"><label for="meeting">Sammanträdesdatum</label><input type="text" id="meeting" name="meeting_date" placeholder="ÅÅÅÅ-MM-DD" required></div>
        <div class="field"><label for="paragraph">Paragraf</label><input type="text" id="paragraph" name="paragraph" placeholder="§ 12" required></div>
        <div class="field"><label for="decision-text">Beslut</label><textarea id="decision-text" name="text" required></textarea></div>
        <fieldset><legend>Utfall</legend><label><input type="radio" name="outcome" value="approved" checked> Godkänt</label><label><input type="radio" name="outcome" value="rejected"> Återremitterat (tillbaka till utkast)</label></fieldset>
        {{/needsDecision}}
        {{#needsAuthorityDnr}}<div class="field"><label for="adnr">Myndighetens diarienummer</label><input type="text" id="adnr" name="authority_dnr" placeholder="821-12345-2020" required></div>{{/needsAuthorityDnr}}
        {{#needsConfirmation}}<div class="field"><label class="inline" for="confirm-{{command}}"><input type="checkbox" id="confirm-{{command}}" name="confirm" value="ja" required> Ja, {{confirmation}}</label></div>{{/needsConfirmation}}
        <button type="submit">{{button}}</button>
        </form>
        {{/transitions}}
        {{#hasSignatures}}
        <h2>Underskrifter</h2>
        <ul>{{#signatures}}<li>{{sequence}}. {{name}}: {{status}}{{#problems}}<br>{{.}}{{/problems}}</li>{{/signatures}}</ul>
        {{/hasSignatures}}
        {{#hasMessages}}
        <h2>E-post om ärendet</h2>
        <ul>{{#messages}}<li>{{subject}} till {{recipient}}: {{status}}{{#reply}} ({{reply}}){{/reply}}{{#canResend}} <form method="post" action="/cases/{{caseID}}/messages/{{id}}/resend" style="display:inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary">Skicka igen</button></form>{{/canResend}}</li>{{/messages}}</ul>
        {{/hasMessages}}
        <h2>Händelser</h2>
        <ol>{{#events}}<li>{{at}} – {{actor}}: {{text}}{{#comment}} – ”{{comment}}”{{/comment}}</li>{{/events}}</ol>
        """

    static let step = """
        <p><a href="/cases/{{caseID}}">← {{formTitle}}</a></p>
        <p>Steg {{number}} av {{count}}</p>
        <nav aria-label="Blankettens steg"><ol class="steps">{{#steps}}<li{{#current}} class="current" aria-current="step"{{/current}}><a href="/cases/{{caseID}}/steps/{{id}}">{{title}}</a></li>{{/steps}}</ol></nav>
        <h1>{{title}}</h1>
        {{#hasErrors}}
        <div class="summary" role="alert" tabindex="-1"><h2>Det finns {{errorCount}} fel att rätta</h2><ul>{{#errors}}<li><a href="#{{anchor}}">{{message}}</a></li>{{/errors}}</ul></div>
        {{/hasErrors}}
        {{#hasWarnings}}
        <div class="summary warnings"><h2>Kontrollera</h2><ul>{{#warnings}}<li><a href="#{{anchor}}">{{message}}</a></li>{{/warnings}}</ul><p class="hint">Varningar hindrar inte att du sparar. Innan blanketten skickas till underskrift kommenterar du varför uppgiften stämmer.</p></div>
        {{/hasWarnings}}
        {{#intro}}<p>{{intro}}</p>{{/intro}}
        <form method="post" action="/cases/{{caseID}}/steps/{{id}}" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="version" value="{{version}}">
        {{#fields}}{{> field}}{{/fields}}
        <div class="buttons">
        <button type="submit" name="action" value="continue">Spara och fortsätt</button>
        <button type="submit" name="action" value="exit" class="secondary">Spara och avsluta</button>
        </div>
        </form>
        """

    static let message = """
        {{#errors}}<p class="error" id="{{anchor}}-error">Fel: {{message}}</p>{{/errors}}{{#warnings}}<p class="warning">Varning: {{message}}</p>{{/warnings}}
        """

    /// One field, recursive through groups.
    static let field = """
        {{#isInfo}}<div class="field">{{#label}}<h2>{{label}}</h2>{{/label}}{{#text}}<p>{{text}}</p>{{/text}}</div>{{/isInfo}}
        {{#isGroup}}<fieldset id="{{anchor}}">{{#label}}<legend>{{label}}</legend>{{/label}}{{#help}}<p class="hint">{{help}}</p>{{/help}}{{#children}}{{> field}}{{/children}}</fieldset>{{/isGroup}}
        {{#isReadOnly}}<div class="field" id="{{anchor}}"><span class="label"><strong>{{label}}</strong></span> <span class="readonly">{{display}}{{#unit}} {{unit}}{{/unit}}</span>{{#help}}<p class="hint">{{help}}</p>{{/help}}{{> message}}</div>{{/isReadOnly}}
        {{#isInput}}
        <div class="field{{#hasError}} has-error{{/hasError}}{{#hasWarning}} has-warning{{/hasWarning}}">
        <label for="{{anchor}}">{{label}}{{^required}} (frivillig){{/required}}</label>
        {{#help}}<p class="hint" id="{{anchor}}-hint">{{help}}</p>{{/help}}{{#ordinance}}<p class="ordinance">{{ordinance}}</p>{{/ordinance}}
        {{> message}}
        {{#isLong}}<textarea id="{{anchor}}" name="{{name}}"{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}{{#hasError}} aria-invalid="true"{{/hasError}}>{{value}}</textarea>{{/isLong}}
        {{^isLong}}<input type="{{inputType}}" id="{{anchor}}" name="{{name}}" value="{{value}}"{{#inputMode}} inputmode="{{inputMode}}"{{/inputMode}}{{#placeholder}} placeholder="{{placeholder}}"{{/placeholder}}{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}{{#hasError}} aria-invalid="true"{{/hasError}}>{{#unit}} {{unit}}{{/unit}}{{/isLong}}
        </div>
        {{/isInput}}
        {{#isOptions}}
        <fieldset class="field{{#hasError}} has-error{{/hasError}}{{#hasWarning}} has-warning{{/hasWarning}}" id="{{anchor}}">
        <legend>{{label}}{{^required}} (frivillig){{/required}}</legend>
        {{#help}}<p class="hint">{{help}}</p>{{/help}}{{#ordinance}}<p class="ordinance">{{ordinance}}</p>{{/ordinance}}
        {{> message}}
        {{#options}}<div><input type="{{inputType}}" id="{{optionID}}" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}}> <label for="{{optionID}}" style="display:inline;font-weight:400">{{label}}</label></div>{{/options}}
        </fieldset>
        {{/isOptions}}
        {{#isGrid}}
        <fieldset class="field{{#hasError}} has-error{{/hasError}}{{#hasWarning}} has-warning{{/hasWarning}}" id="{{anchor}}">
        <legend>{{label}}</legend>
        {{#help}}<p class="hint">{{help}}</p>{{/help}}
        {{> message}}
        <table><thead><tr><td></td>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead><tbody>
        {{#rows}}<tr><th scope="row">{{label}}</th>{{#cells}}<td>{{#readOnly}}{{value}}{{/readOnly}}{{^readOnly}}<input type="text" inputmode="{{inputMode}}" id="{{anchor}}" name="{{name}}" value="{{value}}" aria-label="{{ariaLabel}}"{{#hasError}} aria-invalid="true"{{/hasError}}>{{/readOnly}}</td>{{/cells}}</tr>{{/rows}}
        </tbody></table>
        </fieldset>
        {{/isGrid}}
        {{#isMatrix}}
        <fieldset class="field{{#hasError}} has-error{{/hasError}}" id="{{anchor}}">
        <legend>{{label}}</legend>
        {{#help}}<p class="hint">{{help}}</p>{{/help}}
        {{> message}}
        {{#matrixRows}}<fieldset id="{{anchor}}"><legend>{{label}}</legend>{{#options}}<span><input type="radio" id="{{optionID}}" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}}> <label for="{{optionID}}" style="display:inline;font-weight:400">{{label}}</label></span> {{/options}}</fieldset>{{/matrixRows}}
        </fieldset>
        {{/isMatrix}}
        {{#isList}}
        <fieldset class="field{{#hasError}} has-error{{/hasError}}" id="{{anchor}}">
        <legend>{{label}}{{^required}} (frivillig){{/required}}</legend>
        {{#help}}<p class="hint">{{help}}</p>{{/help}}
        {{> message}}
        {{#items}}<div class="field">{{#simple}}<label for="{{anchor}}">Rad {{number}}</label><input type="text" id="{{anchor}}" name="{{name}}" value="{{value}}">{{/simple}}{{#parts}}<label for="{{anchor}}">Rad {{number}}: {{label}}</label><input type="text" id="{{anchor}}" name="{{name}}" value="{{value}}">{{/parts}}</div>{{/items}}
        <p class="hint">Spara för att få fler rader. Töm en rad för att ta bort den.</p>
        </fieldset>
        {{/isList}}
        """

    /// A refusal or error: the message is in the layout's problem box.
    static let error = """
        <h1>{{heading}}</h1>
        <p><a href="/">Till startsidan</a></p>
        """

    static let verify = """
        <h1>Kontroll av underskrift</h1>
        {{#found}}
        <p>Kontrollkoden <strong>{{code}}</strong> hör till <strong>{{form}}</strong> från {{organisation}}, period {{period}}.</p>
        <ul>{{#signatures}}<li>{{sequence}}. {{name}}: {{#valid}}underskriften är giltig{{/valid}}{{^valid}}<strong>innehållet har ändrats efter underskriften</strong>{{/valid}}</li>{{/signatures}}</ul>
        {{#allValid}}<p class="flash">Det lagrade innehållet stämmer med det som skrevs under.</p>{{/allValid}}
        {{^allValid}}<p class="problem">Det lagrade innehållet stämmer inte med det som skrevs under. Kontakta kommunen.</p>{{/allValid}}
        {{/found}}
        {{^found}}<p class="problem">Ingen giltig underskrift har kontrollkoden {{code}}. Koden står under underskrifterna i PDF-filen, till exempel 1A2B-3C4D-5E6F.</p>{{/found}}
        """

    static let review = """
        <p><a href="/cases/{{caseID}}">← {{formTitle}}</a></p>
        <h1>Kontrollera dina svar</h1>
        {{#hasErrors}}<div class="summary" role="alert"><h2>Det finns {{errorCount}} fel att rätta innan blanketten kan skrivas under</h2><ul>{{#errors}}<li><a href="/cases/{{caseID}}/steps/{{step}}?kontroll=1#{{anchor}}">{{message}}</a></li>{{/errors}}</ul></div>{{/hasErrors}}
        {{#steps}}
        <h2>{{title}}</h2>
        {{#editable}}<p><a href="/cases/{{caseID}}/steps/{{id}}">Ändra<span class="skip"> {{title}}</span></a></p>{{/editable}}
        <dl class="answers">{{#answers}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/answers}}</dl>
        {{/steps}}
        <p><a class="button" href="/cases/{{caseID}}">Till ärendet</a></p>
        """
}
