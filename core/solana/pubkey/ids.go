package pubkey

// Well-known program and sysvar ids, as declared with declare_id! in the
// release's sdk/program/src (system_program.rs, bpf_loader*.rs and
// sysvar/*.rs).
var (
	// SystemProgramID is the system program's id (all zero bytes).
	SystemProgramID = MustParse("11111111111111111111111111111111")
	// BPFLoaderID is bpf_loader, whose programs get the aligned input
	// serialization.
	BPFLoaderID = MustParse("BPFLoader2111111111111111111111111111111111")
	// BPFLoaderDeprecatedID is bpf_loader_deprecated: programs it owns get
	// the unaligned input serialization.
	BPFLoaderDeprecatedID = MustParse("BPFLoader1111111111111111111111111111111111")
	// BPFLoaderUpgradeableID is bpf_loader_upgradeable.
	BPFLoaderUpgradeableID = MustParse("BPFLoaderUpgradeab1e11111111111111111111111")

	// SysvarOwnerID owns every sysvar account (sysvar::id()).
	SysvarOwnerID = MustParse("Sysvar1111111111111111111111111111111111111")
	// SysvarClockID is the Clock sysvar.
	SysvarClockID = MustParse("SysvarC1ock11111111111111111111111111111111")
	// SysvarRentID is the Rent sysvar.
	SysvarRentID = MustParse("SysvarRent111111111111111111111111111111111")
	// SysvarEpochScheduleID is the EpochSchedule sysvar.
	SysvarEpochScheduleID = MustParse("SysvarEpochSchedu1e111111111111111111111111")
	// SysvarFeesID is the Fees sysvar.
	SysvarFeesID = MustParse("SysvarFees111111111111111111111111111111111")
	// SysvarInstructionsID is the Instructions sysvar.
	SysvarInstructionsID = MustParse("Sysvar1nstructions1111111111111111111111111")
)
