// Package consent finds the consent platform (CMP) on a page, operates its
// banner as a visitor would — accept all or reject all, through the settings
// layer when the first layer has no reject — and proves that the choice took
// by reading the platform's own stored consent and JS API.
//
// Platforms are data: one rule per platform in the embedded rules.yaml (a
// user adds more with Options.RulesFile). Pages without a known platform get
// a generic fallback that finds a fixed or modal element speaking of cookies
// and ranks its buttons by their text in nine languages. The package also
// decodes IAB TCF consent strings and reads Google Consent Mode signals.
package consent
