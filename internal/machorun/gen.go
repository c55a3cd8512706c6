package machorun

// c/darwin.h is committed so that building the loader needs only gcc; the test
// TestDarwinHeader fails when it differs from what GOROOT's tables give.
//go:generate go run ./_gen
