package backend

// The numbers of the Mach-O format and of Apple's code signatures that debug/macho does not
// define, in one place, each under the header that defines it. The headers are Apple's, as
// published with xnu and cctools (opensource.apple.com, mirrored at github.com/apple-oss-distributions):
// <mach-o/loader.h>, <mach-o/nlist.h>, <mach/vm_prot.h>, <mach/machine.h> and xnu's
// osfmk/kern/cs_blobs.h. Names are the headers' names in Go's spelling, so that a grep for
// the C name finds the comment.
//
// What debug/macho does define is used from there: the magic (macho.Magic64), CPU types
// (macho.CpuAmd64, macho.CpuArm64), file type (macho.TypeExec), header flags
// (macho.FlagPIE, ...) and the load commands LC_SEGMENT_64, LC_SYMTAB, LC_DYSYMTAB and
// LC_LOAD_DYLIB. (Its LoadCmdDylinker is 0xf, LC_ID_DYLINKER, not LC_LOAD_DYLINKER.)

// <mach/machine.h>: the CPU subtypes that run on every processor of the type.
const (
	cpuSubtypeX86_64All = 3 // CPU_SUBTYPE_X86_64_ALL
	cpuSubtypeARM64All  = 0 // CPU_SUBTYPE_ARM64_ALL
)

// <mach-o/loader.h>: load commands. LC_REQ_DYLD (0x80000000) marks those that dyld must
// understand to load the file at all.
const (
	lcLoadDylinker  = 0xe        // LC_LOAD_DYLINKER: struct dylinker_command
	lcUUID          = 0x1b       // LC_UUID: struct uuid_command
	lcCodeSignature = 0x1d       // LC_CODE_SIGNATURE: struct linkedit_data_command
	lcDyldInfoOnly  = 0x80000022 // LC_DYLD_INFO_ONLY: struct dyld_info_command
	lcMain          = 0x80000028 // LC_MAIN: struct entry_point_command
	lcBuildVersion  = 0x32       // LC_BUILD_VERSION: struct build_version_command
)

// <mach-o/loader.h>: the sizes of the load commands' fixed parts.
const (
	machoHeaderSize      = 32 // struct mach_header_64
	machoSegmentSize     = 72 // struct segment_command_64
	machoSectionSize     = 80 // struct section_64
	machoDyldInfoSize    = 48 // struct dyld_info_command
	machoSymtabSize      = 24 // struct symtab_command
	machoDysymtabSize    = 80 // struct dysymtab_command
	machoDylinkerSize    = 12 // struct dylinker_command, before the path
	machoUUIDSize        = 24 // struct uuid_command
	machoBuildVerSize    = 24 // struct build_version_command, with no tools
	machoMainSize        = 24 // struct entry_point_command
	machoDylibSize       = 24 // struct dylib_command, before the path
	machoLinkeditCmdSize = 16 // struct linkedit_data_command
	machoNlistSize       = 16 // struct nlist_64 (<mach-o/nlist.h>)
)

// <mach-o/loader.h>: segment flags.
const (
	sgReadOnly = 0x10 // SG_READ_ONLY: dyld makes the segment read-only once it is fixed up
)

// <mach-o/loader.h>: section types (the low byte of section_64.flags) and attributes.
const (
	sRegular               = 0x0        // S_REGULAR
	sZerofill              = 0x1        // S_ZEROFILL: no bytes in the file
	sNonLazySymbolPointers = 0x6        // S_NON_LAZY_SYMBOL_POINTERS: reserved1 indexes the indirect symbols
	sAttrPureInstructions  = 0x80000000 // S_ATTR_PURE_INSTRUCTIONS
	sAttrSomeInstructions  = 0x00000400 // S_ATTR_SOME_INSTRUCTIONS
)

// <mach-o/loader.h>: fields of build_version_command and dylib.
const (
	platformMacOS = 1 // PLATFORM_MACOS
	// A version X.Y.Z is X<<16 | Y<<8 | Z ("xxxx.yy.zz" in loader.h).
	machoVersion11   = 11 << 16       // macOS 11.0, the first for arm64
	machoVersion1013 = 10<<16 | 13<<8 // macOS 10.13
	machoDylibCompat = 1 << 16        // 1.0.0: libSystem's compatibility_version
	// dylib.timestamp: what ld64 writes; dyld ignores it.
	machoDylibTimestamp = 2
)

// <mach/vm_prot.h>: segment protections.
const (
	vmProtNone    = 0x0 // VM_PROT_NONE
	vmProtRead    = 0x1 // VM_PROT_READ
	vmProtWrite   = 0x2 // VM_PROT_WRITE
	vmProtExecute = 0x4 // VM_PROT_EXECUTE
)

// <mach-o/nlist.h>: symbol types and the library ordinal in n_desc.
const (
	nUndf = 0x0  // N_UNDF: undefined
	nExt  = 0x01 // N_EXT: external
	nSect = 0x0e // N_SECT: defined in section n_sect
	// SET_LIBRARY_ORDINAL(n_desc, ordinal) puts the 1-based index of the LC_LOAD_DYLIB that
	// defines an undefined symbol in n_desc's high byte (two-level namespace).
	nDescLibOrdinalShift = 8
)

// <mach-o/loader.h>: rebase opcodes (struct dyld_info_command): a byte each, the opcode in
// the high nibble and an immediate in the low one.
const (
	rebaseTypePointer               = 1    // REBASE_TYPE_POINTER
	rebaseOpcodeMask                = 0xf0 // REBASE_OPCODE_MASK
	rebaseImmediateMask             = 0x0f // REBASE_IMMEDIATE_MASK
	rebaseOpDone                    = 0x00 // REBASE_OPCODE_DONE
	rebaseOpSetTypeImm              = 0x10 // REBASE_OPCODE_SET_TYPE_IMM
	rebaseOpSetSegmentAndOffsetULEB = 0x20 // REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB
	rebaseOpAddAddrULEB             = 0x30 // REBASE_OPCODE_ADD_ADDR_ULEB
	rebaseOpAddAddrImmScaled        = 0x40 // REBASE_OPCODE_ADD_ADDR_IMM_SCALED
	rebaseOpDoRebaseImmTimes        = 0x50 // REBASE_OPCODE_DO_REBASE_IMM_TIMES
	rebaseOpDoRebaseULEBTimes       = 0x60 // REBASE_OPCODE_DO_REBASE_ULEB_TIMES
	rebaseOpDoRebaseAddAddrULEB     = 0x70 // REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB
	rebaseOpDoRebaseULEBTimesSkip   = 0x80 // REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB
)

// <mach-o/loader.h>: bind opcodes, encoded like the rebase opcodes.
const (
	bindTypePointer                 = 1    // BIND_TYPE_POINTER
	bindOpcodeMask                  = 0xf0 // BIND_OPCODE_MASK
	bindImmediateMask               = 0x0f // BIND_IMMEDIATE_MASK
	bindOpDone                      = 0x00 // BIND_OPCODE_DONE
	bindOpSetDylibOrdinalImm        = 0x10 // BIND_OPCODE_SET_DYLIB_ORDINAL_IMM
	bindOpSetDylibOrdinalULEB       = 0x20 // BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB
	bindOpSetDylibSpecialImm        = 0x30 // BIND_OPCODE_SET_DYLIB_SPECIAL_IMM
	bindOpSetSymbolTrailingFlagsImm = 0x40 // BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM
	bindOpSetTypeImm                = 0x50 // BIND_OPCODE_SET_TYPE_IMM
	bindOpSetAddendSLEB             = 0x60 // BIND_OPCODE_SET_ADDEND_SLEB
	bindOpSetSegmentAndOffsetULEB   = 0x70 // BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB
	bindOpAddAddrULEB               = 0x80 // BIND_OPCODE_ADD_ADDR_ULEB
	bindOpDoBind                    = 0x90 // BIND_OPCODE_DO_BIND
	bindOpDoBindAddAddrULEB         = 0xa0 // BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB
	bindOpDoBindAddAddrImmScaled    = 0xb0 // BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED
	bindOpDoBindULEBTimesSkip       = 0xc0 // BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB
)

// osfmk/kern/cs_blobs.h: code signature blobs. Everything in a signature is big-endian.
const (
	csMagicRequirements      = 0xfade0c01 // CSMAGIC_REQUIREMENTS: a requirements vector
	csMagicCodeDirectory     = 0xfade0c02 // CSMAGIC_CODEDIRECTORY
	csMagicEmbeddedSignature = 0xfade0cc0 // CSMAGIC_EMBEDDED_SIGNATURE: the SuperBlob
	csMagicBlobWrapper       = 0xfade0b01 // CSMAGIC_BLOBWRAPPER: holds the CMS signature, empty when ad hoc

	csSlotCodeDirectory = 0       // CSSLOT_CODEDIRECTORY
	csSlotInfo          = 1       // CSSLOT_INFOSLOT: the Info.plist's hash (zeros without one)
	csSlotRequirements  = 2       // CSSLOT_REQUIREMENTS
	csSlotSignature     = 0x10000 // CSSLOT_SIGNATURESLOT: the CMS blob wrapper

	csSupportsExecSeg = 0x20400 // CS_SUPPORTSEXECSEG: CodeDirectory version with execSeg* fields
	csAdhoc           = 0x2     // CS_ADHOC: ad hoc signed (no certificate)
	csHashTypeSHA256  = 2       // CS_HASHTYPE_SHA256
	csSHA256Len       = 32      // CS_SHA256_LEN

	csExecSegMainBinary = 0x1 // CS_EXECSEG_MAIN_BINARY: the executable segment is the main binary's
)
