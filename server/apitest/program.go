package apitest

// programCases run programs; filled in as the engines land.
func programCases() []testCase { return nil }
