package symname

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Real symbols from Rust programs (Solana programs and the standard
// library they link), with the names rustc-demangle prints for them.
var cases = []struct {
	name    string
	display string // Display
	rustc   string // Rustc: rustc-demangle's default form
}{
	// Legacy mangling.
	{"_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE",
		"spl_token::processor::Processor::process",
		"spl_token::processor::Processor::process::h1b9ba2b5dfcdbeac"},
	{"_ZN14solana_program3log7sol_log17h4d8401486258f67dE",
		"solana_program::log::sol_log",
		"solana_program::log::sol_log::h4d8401486258f67d"},
	{"_ZN14solana_program4vote5state9VoteState11deserialize17he97c00397d39ebd1E",
		"solana_program::vote::state::VoteState::deserialize",
		"solana_program::vote::state::VoteState::deserialize::he97c00397d39ebd1"},
	{"_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h7d592cf20fbd3ec4E",
		"<&T as core::fmt::Debug>::fmt",
		"<&T as core::fmt::Debug>::fmt::h7d592cf20fbd3ec4"},
	{"_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0d5d0ae1ffd3c6a5E",
		"core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>",
		"core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>::h0d5d0ae1ffd3c6a5"},
	// ThinLTO renames internal symbols with a .llvm.<digits> suffix.
	{"_ZN4core3ptr27drop_in_place$LT$$RF$u8$GT$17h5f8d60e0970912ecE.llvm.7986975010621958062",
		"core::ptr::drop_in_place<&u8>",
		"core::ptr::drop_in_place<&u8>::h5f8d60e0970912ec"},
	// Other suffixes: Display leaves them out, rustc-demangle keeps them.
	{"_ZN14solana_program3log7sol_log17h4d8401486258f67dE.cold.1",
		"solana_program::log::sol_log",
		"solana_program::log::sol_log::h4d8401486258f67d.cold.1"},
	// v0 mangling.
	{"_RNvCsaljjC7ZTCQu_3log6logger", "log::logger", "log::logger"},
	{"_RNvCsbkii2mvYdKU_7___rustc14___rust_realloc", "__rustc::__rust_realloc", "__rustc::__rust_realloc"},
	{"_RNvMsr_NtCs3ssYzQotkvD_3std4pathNtB5_7PathBuf3new", "<std::path::PathBuf>::new", "<std::path::PathBuf>::new"},
	// C++: shown raw. Display used to demangle these (`foo(int)`,
	// `spl_token::state`) with the whole demangle library; it now links
	// only the library's Rust demangler (see internal/rustdemangle), as
	// Solana programs are Rust or C, and rustc-demangle leaves them too.
	{"_Z3fooi", "_Z3fooi", "_Z3fooi"},
	{"_ZN9spl_token5stateE", "_ZN9spl_token5stateE", "_ZN9spl_token5stateE"},
	// Plain names.
	{"entrypoint", "entrypoint", "entrypoint"},
	{"sol_log_", "sol_log_", "sol_log_"},
	{"function_42", "function_42", "function_42"},
	{"", "", ""},
	{"memcpy.llvm.123", "memcpy.llvm.123", "memcpy"},
	// Malformed: "10spl_token" claims 10 bytes where "spl_token" has 9,
	// so the path does not parse and the name is shown raw.
	{"_ZN10spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE",
		"_ZN10spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE",
		"_ZN10spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE"},
	{"_ZN", "_ZN", "_ZN"},
	{"_R", "_R", "_R"},
	{"_RNvCsaljjC7ZTCQu_3log6logger\n", "_RNvCsaljjC7ZTCQu_3log6logger\n", "_RNvCsaljjC7ZTCQu_3log6logger\n"},
	// A suffix rustc-demangle does not recognise makes it show the name raw.
	{"_ZN14solana_program3log7sol_log17h4d8401486258f67dE.a b",
		"solana_program::log::sol_log",
		"_ZN14solana_program3log7sol_log17h4d8401486258f67dE.a b"},
	// A hash of too few different digits is not taken for Rust's, so the
	// name is C++ and shown raw (it used to be demangled as C++ to
	// `foo::h0000000000000000`).
	{"_ZN3foo17h0000000000000000E", "_ZN3foo17h0000000000000000E", "_ZN3foo17h0000000000000000E"},
}

func TestDisplay(t *testing.T) {
	for _, c := range cases {
		if got := Display(c.name); got != c.display {
			t.Errorf("Display(%q) = %q, want %q", c.name, got, c.display)
		}
		want := c.display
		if want == c.name {
			want = ""
		}
		if got := Demangled(c.name); got != want {
			t.Errorf("Demangled(%q) = %q, want %q", c.name, got, want)
		}
	}
}

func TestRustc(t *testing.T) {
	for _, c := range cases {
		if got := Rustc(c.name); got != c.rustc {
			t.Errorf("Rustc(%q) = %q, want %q", c.name, got, c.rustc)
		}
	}
}

// TestBounds checks that long names are returned without being parsed and
// that a name demangling to more than the output bound is shown raw.
func TestBounds(t *testing.T) {
	long := "_ZN" + strings.Repeat("3foo", MaxLen/4) + "17h1b9ba2b5dfcdbeacE"
	if got := Display(long); got != long {
		t.Errorf("Display of a %d-byte name = %.40q..., want it unchanged", len(long), got)
	}
	if got := Rustc(long); got != long {
		t.Errorf("Rustc of a %d-byte name changed it", len(long))
	}
	fits := "_ZN" + strings.Repeat("3foo", (MaxLen-40)/4) + "17h1b9ba2b5dfcdbeacE"
	if got := Display(fits); !strings.HasPrefix(got, "foo::foo::") {
		t.Errorf("Display of a %d-byte name = %.40q..., want it demangled", len(fits), got)
	}
	// Template parameter references (T_) repeat a whole argument, so C++
	// output grows faster than the name: a 1 KiB name of nested templates
	// used through T_ many times stays within the bound.
	nested := "_Z1fI" + strings.Repeat("St4pairI", 60) + "ii" + strings.Repeat("E", 60) + "Ev" + strings.Repeat("T_", 200)
	if got := Display(nested); len(got) > 1<<maxOutPow {
		t.Errorf("Display gave %d bytes, more than the bound", len(got))
	} else if got != nested {
		t.Errorf("Display = %.60q..., want the name raw: its demangling is longer than the bound", got)
	}
}

// TestBoundsV0 checks the output bound on a Rust name. Each generic
// argument of `a::f` here is a pair of back-references to the one before,
// so output doubles with each: these 139 bytes demangle to 393,180. (The
// C++ name in TestBounds is now shown raw as C++, whatever its length.)
func TestBoundsV0(t *testing.T) {
	const blowup = "_RINvC1a1fThhETB7_B7_ETBb_Bb_ETBj_Bj_ETBr_Br_ETBz_Bz_ETBH_BH_ETBP_BP_ETBX_BX_E" +
		"TB15_B15_ETB1d_B1d_ETB1n_B1n_ETB1x_B1x_ETB1H_B1H_ETB1R_B1R_EE"
	for _, fn := range []func(string) string{Display, Rustc} {
		if got := fn(blowup); got != blowup {
			t.Errorf("got %d bytes %.60q..., want the name raw: its demangling is longer than the bound", len(got), got)
		}
	}
	if got := Demangled(blowup); got != "" {
		t.Errorf("Demangled gave %d bytes, want none", len(got))
	}
	// The first three arguments alone stay within the bound.
	const short = "_RINvC1a1fThhETB7_B7_ETBb_Bb_EE"
	const want = "a::f::<(u8, u8), ((u8, u8), (u8, u8)), (((u8, u8), (u8, u8)), ((u8, u8), (u8, u8)))>"
	if got := Display(short); got != want {
		t.Errorf("Display(%q) = %q, want %q", short, got, want)
	}
}

// FuzzDisplay feeds arbitrary names to Display and Rustc: neither may
// panic, and what they return is bounded and valid UTF-8 when the name is.
func FuzzDisplay(f *testing.F) {
	for _, c := range cases {
		f.Add(c.name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, fn := range []func(string) string{Display, Rustc} {
			got := fn(name)
			if len(name) > MaxLen && got != name {
				t.Fatalf("a %d-byte name was changed", len(name))
			}
			if len(got) > max(len(name), 1<<maxOutPow) {
				t.Fatalf("%d bytes of output for a %d-byte name", len(got), len(name))
			}
			if utf8.ValidString(name) && !utf8.ValidString(got) {
				t.Fatalf("invalid UTF-8 %q from %q", got, name)
			}
		}
		if d := Demangled(name); d != "" && d != Display(name) {
			t.Fatalf("Demangled(%q) = %q, Display = %q", name, d, Display(name))
		}
	})
}
