package asm

import (
	"testing"
	"unicode"
)

// always succeeds without consuming input, like the library's position().
type always struct{}

func (always) parse(*cInput) (cStatus, *tracked) { return emptyOK, nil }
func (always) addError(*tracked)                 {}
func (always) count() int                        { return 1 }
func (always) addConsumedExpected(*tracked)      {}

// libCase is a parser, an input, and where and how it fails.
type libCase struct {
	name string
	p    cParser
	src  string
	pos  int
	want string
}

// TestCombinatorsAgainstLibraryTests runs the error-reporting cases of
// combine 3.8.1's own tests (tests/parser.rs) through the combinators that
// reproduce it: the position and the exact list of entries.
func TestCombinatorsAgainstLibraryTests(t *testing.T) {
	c := tokenOf
	digit := expected{satisfy{isDigit}, "digit"}
	cases := []libCase{
		{"tuple_parse_error", seq{digit, digit}, "a", 0, "unexpected 'a', expected digit"},
		{"sequence_error/1", seq{c("a"), c("b"), c("c")}, "c", 0, "unexpected 'c', expected 'a'"},
		{"sequence_error/2", seq{c("a"), c("b"), c("c")}, "ac", 1, "unexpected 'c', expected 'b'"},
		{"optional_empty_ok_then_error", seq{optional{c("a")}, c("b")}, "c", 0,
			"unexpected 'c', expected 'a', expected 'b'"},
		{"nested_optional_empty_ok_then_error", seq{seq{optional{c("a")}, c("b")}, c("c")}, "c", 0,
			"unexpected 'c', expected 'a', expected 'b'"},
		{"consumed_then_optional_empty_ok_then_error", seq{c("b"), optional{c("a")}, c("b")}, "bc", 1,
			"unexpected 'c', expected 'a', expected 'b'"},
		{"sequence_in_choice_parser_empty_err",
			or{seq{optional{c("a")}, c("1")}, seq{seq{optional{c("b")}, c("2")}, c("d")}}, "c", 0,
			"expected 'a', expected '1', expected 'b', expected '2', unexpected 'c'"},
		{"sequence_in_optional_report_delayed_error",
			seq{optional{seq{always{}, c("a")}}, c("}")}, "b", 0,
			"unexpected 'b', expected 'a', expected '}'"},
		{"sequence_in_optional_nested_report_delayed_error",
			seq{seq{optional{seq{always{}, c("a")}}, optional{seq{always{}, c("c")}}}, c("}")}, "b", 0,
			"unexpected 'b', expected 'a', expected 'c', expected '}'"},
		{"test", seq{digit, expected{satisfy{unicode.IsLetter}, "letter"}}, "11", 1,
			"unexpected '1', expected letter"},
		{"choice_compose_on_error",
			or{seq{attempt{literal{"aa"}}, literal{";"}}, or{attempt{literal{"cc"}}}}, "c", 0,
			"unexpected 'c', expected aa, unexpected end of input, expected cc"},
		{"choice_compose_issue_175",
			seq{many{p: seq{always{}, or{
				seq{attempt{literal{"aa"}}, literal{";"}},
				or{attempt{literal{"bb"}}, attempt{literal{"cc"}}},
			}}}, literal{"."}}, "c", 0,
			"unexpected 'c', expected aa, expected bb, expected cc"},
	}
	for _, many1 := range []bool{false, true} {
		a := many{p: seq{always{}, c("a")}, atLeast1: many1}
		want := "unexpected 'b', expected 'a', expected '}'"
		cases = append(cases,
			libCase{"sequence_in_many_report_delayed_error", seq{a, c("}")}, "ab", 1, want},
			libCase{"sequence_in_many_report_delayed_error/between", seq{a, c("}"), c("|")}, "ab", 1, want})
	}
	cases = append(cases, libCase{"sequence_in_sep_by_report_delayed_error", seq{sepBy{p: seq{always{}, c("a")}, sep: c(",")}, c("}")},
		"a,ab", 3, "unexpected 'b', expected ',', expected '}'"})
	for _, tc := range cases {
		report := runParser(tc.p, tc.src)
		if report == nil {
			t.Errorf("%s: parsed", tc.name)
			continue
		}
		if got := formatReport(report); got != tc.want || report.pos != tc.pos {
			t.Errorf("%s: at %d %q, want at %d %q", tc.name, report.pos, got, tc.pos, tc.want)
		}
	}
}
