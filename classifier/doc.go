// Package classifier labels observed cookies: first or third party, vendor,
// category, confidence and the reason, from the known-cookie database, the
// host → vendor map, and, for cookies no database knows, heuristics on the
// name, the value's shape, the lifespan and the party. "unclassified" is a
// valid answer: an honest "unsure" beats a confident guess.
package classifier
