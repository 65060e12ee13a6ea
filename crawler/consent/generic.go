package consent

import (
	"regexp"
	"strings"
	"unicode"
)

// Roles of a banner button, as cookie.ConsentButton.Role spells them.
const (
	RoleAccept   = "accept"
	RoleReject   = "reject"
	RoleSettings = "settings"
	RoleSave     = "save"
	RoleOther    = "other"
)

// buttonClass is what a button's label says it does.
type buttonClass struct {
	Role  string
	Score int  // higher is a better match for its role ("Reject all" over "Reject")
	Pay   bool // a pay or subscribe choice: never clicked
	Login bool // a login: never clicked
}

// The phrase lists are our own, in the twelve languages the scanner reads:
// English, Danish, Norwegian, Swedish, Finnish, German, Dutch, French,
// Spanish, Italian, Polish and Portuguese, plus the default texts of the
// open-source consent libraries the tests run on (vanilla-cookieconsent,
// cookieconsent, tarteaucitron, orejime, klaro).
// Each phrase matches the whole label or a run of whole words in it. Within a
// role, an earlier group scores higher.
func rejectPhrases() [][]string {
	return [][]string{
		{"reject all", "reject all cookies", "deny all", "decline all", "refuse all",
			"afvis alle", "afslå alle", "afvis alle cookies", "avvis alle", "avslå alle", "avvisa alla", "neka alla",
			"alle ablehnen", "alles weigeren", "alles afwijzen", "wijs alles af", "tout refuser", "refuser tout",
			"rechazar todo", "rechazar todas", "rifiuta tutto", "rifiuta tutti",
			"alles afwijzen", "hylkää kaikki", "odrzuć wszystkie", "odrzuć wszystko", "rejeitar todos", "rejeitar tudo",
			"recusar todos", "recusar tudo"},
		{"only necessary", "necessary only", "only essential", "essential only", "essential cookies only",
			"necessary cookies only", "use necessary cookies only", "only necessary cookies", "allow necessary",
			"kun nødvendige", "kun nødvendige cookies", "tillad kun nødvendige", "kun de nødvendige", "bare nødvendige",
			"endast nödvändiga", "bara nödvändiga", "godkänn endast nödvändiga", "nur notwendige", "nur essenzielle",
			"nur erforderliche", "alleen noodzakelijke", "alleen functionele", "nécessaires uniquement",
			"seulement nécessaires", "solo necesarias", "aceptar solo necesarias", "solo esenciales", "solo necessari",
			"accetta solo necessari", "solo tecnici", "vain välttämättömät", "hyväksy vain välttämättömät",
			"tylko niezbędne", "akceptuj tylko niezbędne", "apenas necessários", "apenas os necessários", "somente necessários"},
		{"reject", "deny", "decline", "refuse", "i do not accept", "continue without accepting", "no thanks",
			"afvis", "afslå", "avvis", "avslå", "avvisa", "neka", "avböj", "ablehnen", "verweigern",
			"weiter ohne einwilligung", "mit erforderlichen cookies fortfahren", "weigeren", "afwijzen",
			"doorgaan zonder te accepteren", "refuser", "continuer sans accepter", "je refuse", "rechazar", "denegar",
			"continuar sin aceptar", "rifiuta", "continua senza accettare", "non accetto",
			"hylkää", "kieltäydy", "odrzuć", "nie zgadzam się", "rejeitar", "recusar", "não aceito", "i decline"},
	}
}

func savePhrases() [][]string {
	return [][]string{
		{"save", "save preferences", "save settings", "save choices", "save my choices", "confirm my choices",
			"confirm choices", "allow selection", "accept selected", "allow selected", "tillad valgte", "accepter valgte",
			"gem valg", "gem", "gem indstillinger", "lagre valg", "lagre", "tillat valgte", "godta valgte",
			"godkänn valda", "spara", "spara val", "auswahl speichern", "auswahl bestätigen", "auswahl erlauben",
			"auswahl akzeptieren", "speichern", "enregistrer", "enregistrer mes choix", "voorkeuren opslaan",
			"selectie accepteren", "opslaan", "guardar", "guardar preferencias", "guardar configuración",
			"salva", "salva ed esci", "salva preferenze", "salva le preferenze", "tallenna", "tallenna valinnat",
			"zapisz", "zapisz ustawienia", "salvar", "salvar preferências", "guardar preferências"},
	}
}

func settingsPhrases() [][]string {
	return [][]string{
		{"settings", "cookie settings", "cookie preferences", "preferences", "customise", "customize",
			"manage options", "manage preferences", "manage cookies", "more options", "manage",
			"indstillinger", "cookie indstillinger", "tilpas", "vis detaljer", "ret indstillinger", "detaljer",
			"innstillinger", "tilpass", "inställningar", "anpassa", "einstellungen", "cookie einstellungen",
			"anpassen", "verwalten", "mehr optionen", "instellingen", "aanpassen", "voorkeuren", "paramétrer",
			"personnaliser", "gérer mes choix", "préférences", "paramètres", "configurar", "personalizar",
			"gestionar preferencias", "configuración", "personalizza", "gestisci preferenze", "impostazioni",
			"asetukset", "evästeasetukset", "ustawienia", "dostosuj", "definições", "configurações",
			"gerir preferências", "let me choose", "manage preferences"},
	}
}

func acceptPhrases() [][]string {
	return [][]string{
		{"accept all", "accept all cookies", "allow all", "allow all cookies", "accept and continue",
			"accepter alle", "acceptér alle", "accepter alle cookies", "tillad alle", "tillad alle cookies",
			"godta alle", "aksepter alle", "tillat alle", "godta alle cookies", "acceptera alla", "godkänn alla",
			"tillåt alla", "alle akzeptieren", "alle cookies akzeptieren", "alle zulassen", "alles accepteren",
			"alle cookies accepteren", "alles toestaan", "tout accepter", "accepter tout", "accepter et fermer",
			"aceptar todo", "aceptar todas", "permitir todas", "aceptar y cerrar", "accetta tutto",
			"accetta tutti", "accetta tutti i cookie", "alles aanvaarden", "alle cookies aanvaarden",
			"hyväksy kaikki", "salli kaikki", "akceptuj wszystkie", "zaakceptuj wszystkie", "zgadzam się na wszystkie",
			"aceitar todos", "aceitar tudo", "permitir todos"},
		{"accept", "accept cookies", "i accept", "i agree", "agree", "allow", "allow cookies", "accepter",
			"acceptér", "tillad", "godta", "aksepter", "acceptera", "godkänn", "akzeptieren", "zustimmen",
			"einverstanden", "accepteren", "akkoord", "j'accepte", "accepter les cookies", "aceptar", "acepto",
			"accetta", "accetto", "aanvaarden", "aanvaard", "ik ga akkoord", "hyväksy", "hyväksyn", "akceptuj",
			"akceptuję", "zgadzam się", "aceitar", "aceito", "concordo", "that's ok"},
		// Acknowledge-only: the banner gives no choice.
		{"ok", "okay", "got it", "i understand", "understood", "forstået", "jeg forstår", "skjønner", "jag förstår",
			"verstanden", "alles klar", "begrepen", "compris", "entendido", "ho capito", "continue", "fortsæt"},
	}
}

var (
	payWords   = regexp.MustCompile(`(?i)(\b(pay|payment|subscribe|subscription|abo|pur-abo|abonn\w*|abbona\w*|suscrib\w*|pagar|pague|betal\w*|bezahl\w*|kaufen|acheter|buy|køb|kjøp|köp|purchase|werbefrei|ad-free|ad free|reklamefri)\b|\d+[.,]\d{2}\s*(€|eur|kr|dkk|sek|nok|chf|\$|£)|[€$£]\s*\d)`)
	loginWords = regexp.MustCompile(`(?i)\b(log ?in|sign ?in|sign up|log ind|logg inn|logga in|anmelden|einloggen|registrieren|inloggen|connexion|se connecter|iniciar sesión|accedi|registrati)\b`)
)

// normalizeLabel lower-cases a label and keeps letters, digits and single
// spaces, so "  Accept ALL! ›" becomes "accept all".
func normalizeLabel(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// phraseIn reports whether phrase is the label or a run of whole words in it.
func phraseIn(label, phrase string) bool {
	return label == phrase || strings.Contains(" "+label+" ", " "+phrase+" ")
}

// classifyLabel says what a button does from its label. Pay and login
// buttons are never a consent choice. Reject is tested before save and save
// before accept, because "Accept selected" is a save and "Only necessary" a
// reject although they contain accept-like words.
func classifyLabel(raw string) buttonClass {
	label := normalizeLabel(raw)
	if label == "" {
		return buttonClass{Role: RoleOther}
	}
	if payWords.MatchString(raw) {
		return buttonClass{Role: RoleOther, Pay: true}
	}
	if loginWords.MatchString(raw) {
		return buttonClass{Role: RoleOther, Login: true}
	}
	// Long labels are sentences (a link to the policy), not buttons.
	if len(strings.Fields(label)) > 8 {
		return buttonClass{Role: RoleOther}
	}
	order := []struct {
		role    string
		phrases [][]string
	}{
		{RoleReject, rejectPhrases()}, {RoleSave, savePhrases()},
		{RoleSettings, settingsPhrases()}, {RoleAccept, acceptPhrases()},
	}
	for _, o := range order {
		for gi, group := range o.phrases {
			for _, p := range group {
				if phraseIn(label, p) {
					score := (len(o.phrases) - gi) * 10
					if label == p {
						score += 5 // the whole label, not a part of it
					}
					return buttonClass{Role: o.role, Score: score}
				}
			}
		}
	}
	return buttonClass{Role: RoleOther}
}
