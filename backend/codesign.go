package backend

import (
	"crypto/sha256"
	"encoding/binary"
)

// This file writes the ad hoc code signature that macOS requires of every arm64 executable
// (the kernel kills an unsigned one at exec) and that Intel Macs check when present. "Ad hoc"
// means no certificate: the signature is a list of hashes of the file's pages, and the
// kernel checks each page against it as the page is mapped. The structures are those of
// xnu's osfmk/kern/cs_blobs.h; the layout is what `codesign -s -` writes:
//
//	SuperBlob (CSMAGIC_EMBEDDED_SIGNATURE), 3 index entries
//	  CodeDirectory (CSSLOT_CODEDIRECTORY)   version 0x20400, flags CS_ADHOC, SHA-256,
//	      identifier, 2 special slots        4 KiB pages, exec segment = __TEXT
//	      (-2 requirements, -1 Info.plist), then one hash per page of the file
//	  Requirements (CSSLOT_REQUIREMENTS)     an empty set: count 0
//	  BlobWrapper (CSSLOT_SIGNATURESLOT)     an empty CMS signature
//
// Signing has two steps, like Go's cmd/internal/codesign: [adhocSignature.size] is known
// from the length of the signed range alone, so the Mach-O writer reserves the space at the
// end of __LINKEDIT and points LC_CODE_SIGNATURE at it before any hash is taken; then
// [adhocSignature.sign] hashes the finished bytes in front of it. The signed range is the
// whole file up to the signature, headers included. Nothing depends on time or randomness,
// so a signature is a function of the bytes it signs and of the identifier.
//
// Linkers sign with flags CS_ADHOC|CS_LINKER_SIGNED, no requirements and no wrapper; we
// write what codesign does, which every verifier accepts as a full ad hoc signature.

// csPageShift is log2 of the size of the pages hashed: 4 KiB, which the kernel accepts on
// arm64 too (where its own pages are 16 KiB), and which codesign and ld64 use.
const csPageShift = 12

// Sizes of the fixed parts of the signature's structures (cs_blobs.h).
const (
	csSuperBlobSize     = 12 // CS_SuperBlob: magic, length, count
	csBlobIndexSize     = 8  // CS_BlobIndex: type, offset
	csCodeDirectorySize = 88 // CS_CodeDirectory up to execSegFlags (version 0x20400)
	csRequirementsSize  = 12 // an empty requirements vector: magic, length, count 0
	csBlobWrapperSize   = 8  // an empty CS_GenericBlob: magic, length
	csSpecialSlots      = csSlotRequirements
	csBlobs             = 3
)

// adhocSignature describes the signature of one file.
type adhocSignature struct {
	ident     string // the identifier, NUL-terminated in the CodeDirectory
	codeLimit uint64 // length of the signed range [0, codeLimit): where the signature starts
	// execSegBase and execSegLimit are the file offset and size of __TEXT, which the
	// kernel treats as the main executable's code.
	execSegBase, execSegLimit uint64
}

func (s *adhocSignature) pages() uint64 {
	return (s.codeLimit + 1<<csPageShift - 1) >> csPageShift
}

// hashOffset is the offset in the CodeDirectory of the hash of code page 0; special slot -i
// is i hashes before it.
func (s *adhocSignature) hashOffset() uint64 {
	return csCodeDirectorySize + uint64(len(s.ident)) + 1 + csSpecialSlots*csSHA256Len
}

func (s *adhocSignature) codeDirectorySize() uint64 {
	return s.hashOffset() + s.pages()*csSHA256Len
}

// size is the length of the signature in bytes.
func (s *adhocSignature) size() uint64 {
	return csSuperBlobSize + csBlobs*csBlobIndexSize + s.codeDirectorySize() +
		csRequirementsSize + csBlobWrapperSize
}

// sign writes the signature into file[s.codeLimit:], which must be s.size() bytes long,
// hashing file[:s.codeLimit].
func (s *adhocSignature) sign(file []byte) {
	if uint64(len(file)) != s.codeLimit+s.size() {
		panic("backend: code signature space does not match its size") // the writer's bug
	}
	be := binary.BigEndian
	out := make([]byte, 0, s.size())
	cdOff := uint64(csSuperBlobSize + csBlobs*csBlobIndexSize)
	reqOff := cdOff + s.codeDirectorySize()
	wrapOff := reqOff + csRequirementsSize

	// The SuperBlob and its index, in increasing slot order.
	out = be.AppendUint32(out, csMagicEmbeddedSignature)
	out = be.AppendUint32(out, uint32(s.size()))
	out = be.AppendUint32(out, csBlobs)
	for _, ix := range [csBlobs][2]uint64{
		{csSlotCodeDirectory, cdOff}, {csSlotRequirements, reqOff}, {csSlotSignature, wrapOff},
	} {
		out = be.AppendUint32(out, uint32(ix[0]))
		out = be.AppendUint32(out, uint32(ix[1]))
	}

	// The requirements blob comes after the CodeDirectory but is hashed into it, so build
	// it first.
	var req []byte
	req = be.AppendUint32(req, csMagicRequirements)
	req = be.AppendUint32(req, csRequirementsSize)
	req = be.AppendUint32(req, 0) // no requirements

	// The CodeDirectory (CS_CodeDirectory).
	out = be.AppendUint32(out, csMagicCodeDirectory)
	out = be.AppendUint32(out, uint32(s.codeDirectorySize()))
	out = be.AppendUint32(out, csSupportsExecSeg)
	out = be.AppendUint32(out, csAdhoc)
	out = be.AppendUint32(out, uint32(s.hashOffset()))
	out = be.AppendUint32(out, csCodeDirectorySize) // identOffset: right after the header
	out = be.AppendUint32(out, csSpecialSlots)
	out = be.AppendUint32(out, uint32(s.pages()))
	out = be.AppendUint32(out, uint32(s.codeLimit))
	out = append(out, csSHA256Len, csHashTypeSHA256, 0 /* platform */, csPageShift)
	out = be.AppendUint32(out, 0)              // spare2
	out = be.AppendUint32(out, 0)              // scatterOffset: none
	out = be.AppendUint32(out, 0)              // teamOffset: none (ad hoc)
	out = be.AppendUint32(out, 0)              // spare3
	out = be.AppendUint64(out, 0)              // codeLimit64: unused below 4 GiB
	out = be.AppendUint64(out, s.execSegBase)  // execSegBase
	out = be.AppendUint64(out, s.execSegLimit) // execSegLimit
	out = be.AppendUint64(out, csExecSegMainBinary)
	out = append(append(out, s.ident...), 0)
	// Special slots from -csSpecialSlots up to -1: the requirements, then the absent
	// Info.plist, whose slot holds zeros.
	reqHash := sha256.Sum256(req)
	out = append(out, reqHash[:]...)
	out = append(out, make([]byte, csSHA256Len)...) // slot -csSlotInfo
	for p := uint64(0); p < s.pages(); p++ {
		end := min((p+1)<<csPageShift, s.codeLimit)
		h := sha256.Sum256(file[p<<csPageShift : end])
		out = append(out, h[:]...)
	}

	out = append(out, req...)
	out = be.AppendUint32(out, csMagicBlobWrapper)
	out = be.AppendUint32(out, csBlobWrapperSize)
	if uint64(len(out)) != s.size() {
		panic("backend: code signature size miscomputed")
	}
	copy(file[s.codeLimit:], out)
}
