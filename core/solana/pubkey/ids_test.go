package pubkey

import "testing"

// TestWellKnownIDs checks each id against the string in the release's
// declare_id! line.
func TestWellKnownIDs(t *testing.T) {
	tests := []struct {
		name string
		id   Pubkey
		want string
	}{
		{"system_program", SystemProgramID, "11111111111111111111111111111111"},
		{"bpf_loader", BPFLoaderID, "BPFLoader2111111111111111111111111111111111"},
		{"bpf_loader_deprecated", BPFLoaderDeprecatedID, "BPFLoader1111111111111111111111111111111111"},
		{"bpf_loader_upgradeable", BPFLoaderUpgradeableID, "BPFLoaderUpgradeab1e11111111111111111111111"},
		{"sysvar", SysvarOwnerID, "Sysvar1111111111111111111111111111111111111"},
		{"sysvar::clock", SysvarClockID, "SysvarC1ock11111111111111111111111111111111"},
		{"sysvar::rent", SysvarRentID, "SysvarRent111111111111111111111111111111111"},
		{"sysvar::epoch_schedule", SysvarEpochScheduleID, "SysvarEpochSchedu1e111111111111111111111111"},
		{"sysvar::fees", SysvarFeesID, "SysvarFees111111111111111111111111111111111"},
		{"sysvar::instructions", SysvarInstructionsID, "Sysvar1nstructions1111111111111111111111111"},
	}
	seen := make(map[Pubkey]string)
	for _, tt := range tests {
		if got := tt.id.String(); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, got, tt.want)
		}
		if other, dup := seen[tt.id]; dup {
			t.Errorf("%s and %s share an id", tt.name, other)
		}
		seen[tt.id] = tt.name
	}
	if !SystemProgramID.IsZero() {
		t.Error("system program id is not all zeros")
	}
}
