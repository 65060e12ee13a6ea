package chrome

// NewProfileForTest exposes newProfile to the tests.
var NewProfileForTest = newProfile

// ProfileDirForTest returns the throwaway profile of a browser we started.
func ProfileDirForTest(b *Browser) string { return b.userDataDir }

// OwnerFileForTest names the file that records a profile's owner pid.
const OwnerFileForTest = ownerFile

// FindExecForTest searches the PATH, then the given locations.
var FindExecForTest = findExec
