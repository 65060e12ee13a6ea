package chrome

// NewProfileForTest exposes newProfile to the tests.
var NewProfileForTest = newProfile
