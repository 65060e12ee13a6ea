// Package audit compares the classified cookies of the three consent states
// with the site's cookie declaration and the consent rules, and returns
// findings with stable rule ids, severities, evidence and fingerprints.
package audit
