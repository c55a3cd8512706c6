package backend

import (
	"bytes"
	"crypto/sha256"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
)

// csDirectory is a CodeDirectory as the checker reads it back (cs_blobs.h, CS_CodeDirectory).
type csDirectory struct {
	Magic, Length, Version, Flags, HashOffset, IdentOffset, NSpecialSlots, NCodeSlots, CodeLimit uint32
	HashSize, HashType, Platform, PageSize                                                       uint8
	Spare2, ScatterOffset, TeamOffset, Spare3                                                    uint32
	CodeLimit64, ExecSegBase, ExecSegLimit, ExecSegFlags                                         uint64
}

// csSigned is what checkSignature learns from a signature it accepts.
type csSigned struct {
	dir   csDirectory
	ident string
}

// checkSignature verifies an embedded ad hoc signature the way the kernel and `codesign
// --verify` do, written from cs_blobs.h independently of codesign.go: it parses the
// SuperBlob, recomputes the hash of every 4 KiB page of file[:codeLimit] and of the special
// slots, and compares them with the CodeDirectory's. sig is the LC_CODE_SIGNATURE range.
func checkSignature(file []byte, dataoff, datasize uint32) (*csSigned, error) {
	be := binary.BigEndian
	if uint64(dataoff)+uint64(datasize) > uint64(len(file)) || datasize < 12 {
		return nil, fmt.Errorf("signature [%#x, +%#x) outside the file of %#x bytes", dataoff, datasize, len(file))
	}
	sb := file[dataoff : dataoff+datasize]
	if m := be.Uint32(sb); m != csMagicEmbeddedSignature {
		return nil, fmt.Errorf("SuperBlob magic %#x", m)
	}
	if n := be.Uint32(sb[4:]); n != datasize {
		return nil, fmt.Errorf("SuperBlob length %#x, LC_CODE_SIGNATURE says %#x", n, datasize)
	}
	count := be.Uint32(sb[8:])
	if 12+8*uint64(count) > uint64(len(sb)) {
		return nil, fmt.Errorf("SuperBlob index of %d entries overflows", count)
	}
	blobs := map[uint32][]byte{}
	var slots []uint32
	for i := range count {
		typ, off := be.Uint32(sb[12+8*i:]), be.Uint32(sb[16+8*i:])
		if uint64(off)+8 > uint64(len(sb)) {
			return nil, fmt.Errorf("blob %#x at %#x outside the SuperBlob", typ, off)
		}
		n := be.Uint32(sb[off+4:])
		if n < 8 || uint64(off)+uint64(n) > uint64(len(sb)) {
			return nil, fmt.Errorf("blob %#x at %#x has length %#x", typ, off, n)
		}
		blobs[typ] = sb[off : off+n]
		slots = append(slots, typ)
	}
	if want := []uint32{csSlotCodeDirectory, csSlotRequirements, csSlotSignature}; fmt.Sprint(slots) != fmt.Sprint(want) {
		return nil, fmt.Errorf("SuperBlob slots %#x, want %#x", slots, want)
	}
	req, wrap := blobs[csSlotRequirements], blobs[csSlotSignature]
	if !bytes.Equal(req, []byte{0xfa, 0xde, 0x0c, 0x01, 0, 0, 0, 12, 0, 0, 0, 0}) {
		return nil, fmt.Errorf("requirements blob % x, want an empty set", req)
	}
	if !bytes.Equal(wrap, []byte{0xfa, 0xde, 0x0b, 0x01, 0, 0, 0, 8}) {
		return nil, fmt.Errorf("signature slot % x, want an empty blob wrapper", wrap)
	}

	cdb := blobs[csSlotCodeDirectory]
	var cd csDirectory
	if _, err := binary.Decode(cdb, be, &cd); err != nil {
		return nil, fmt.Errorf("CodeDirectory: %v", err)
	}
	switch {
	case cd.Magic != csMagicCodeDirectory:
		return nil, fmt.Errorf("CodeDirectory magic %#x", cd.Magic)
	case cd.Length != uint32(len(cdb)):
		return nil, fmt.Errorf("CodeDirectory length %#x, blob is %#x", cd.Length, len(cdb))
	case cd.HashType != csHashTypeSHA256 || cd.HashSize != sha256.Size:
		return nil, fmt.Errorf("hash type %d size %d, want SHA-256", cd.HashType, cd.HashSize)
	case cd.PageSize != 12:
		return nil, fmt.Errorf("page size 2^%d, want 4 KiB", cd.PageSize)
	case cd.CodeLimit != dataoff:
		return nil, fmt.Errorf("codeLimit %#x, want the signature's offset %#x", cd.CodeLimit, dataoff)
	case cd.NCodeSlots != (cd.CodeLimit+4095)/4096:
		return nil, fmt.Errorf("%d code slots for %#x bytes", cd.NCodeSlots, cd.CodeLimit)
	case cd.NSpecialSlots != 2:
		return nil, fmt.Errorf("%d special slots, want 2 (requirements, Info.plist)", cd.NSpecialSlots)
	case uint64(cd.HashOffset)+uint64(cd.NCodeSlots)*32 != uint64(cd.Length):
		return nil, fmt.Errorf("hashes at %#x do not end the CodeDirectory", cd.HashOffset)
	case cd.IdentOffset < 88 || cd.IdentOffset+2*32 >= cd.HashOffset:
		return nil, fmt.Errorf("identifier at %#x, hashes at %#x", cd.IdentOffset, cd.HashOffset)
	}
	identEnd := bytes.IndexByte(cdb[cd.IdentOffset:], 0)
	if identEnd < 0 || cd.IdentOffset+uint32(identEnd)+1+2*32 != cd.HashOffset {
		return nil, errors.New("identifier is not a C string just before the special slots")
	}
	hash := func(slot int) []byte { // slot < 0: special
		at := int(cd.HashOffset) + 32*slot
		return cdb[at : at+32]
	}
	reqSum := sha256.Sum256(req)
	if !bytes.Equal(hash(-csSlotRequirements), reqSum[:]) {
		return nil, errors.New("requirements slot does not hold the requirements' hash")
	}
	if !bytes.Equal(hash(-csSlotInfo), make([]byte, 32)) {
		return nil, errors.New("Info.plist slot is not zero, and there is no Info.plist")
	}
	for p := range int(cd.NCodeSlots) {
		sum := sha256.Sum256(file[p*4096 : min((p+1)*4096, int(cd.CodeLimit))])
		if !bytes.Equal(hash(p), sum[:]) {
			return nil, fmt.Errorf("page %d (file offset %#x) does not match its hash", p, p*4096)
		}
	}
	return &csSigned{cd, string(cdb[cd.IdentOffset : int(cd.IdentOffset)+identEnd])}, nil
}

// TestAdhocSignature signs synthetic files around page boundaries and checks them with the
// independent reader, then checks that the reader notices a changed byte.
func TestAdhocSignature(t *testing.T) {
	for _, n := range []uint64{1, 4095, 4096, 4097, 3*4096 + 17} {
		s := adhocSignature{ident: "sig-test", codeLimit: n, execSegBase: 0, execSegLimit: 4096}
		file := make([]byte, n+s.size())
		for i := range n {
			file[i] = byte(i * 7)
		}
		s.sign(file)
		got, err := checkSignature(file, uint32(n), uint32(s.size()))
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		want := csDirectory{
			Magic: csMagicCodeDirectory, Length: got.dir.Length, Version: 0x20400, Flags: 0x2,
			HashOffset: 88 + 9 + 64, IdentOffset: 88, NSpecialSlots: 2,
			NCodeSlots: uint32((n + 4095) / 4096), CodeLimit: uint32(n),
			HashSize: 32, HashType: 2, PageSize: 12, ExecSegLimit: 4096, ExecSegFlags: 1,
		}
		if got.dir != want || got.ident != "sig-test" {
			t.Errorf("%d bytes: CodeDirectory\n got %+v %q\nwant %+v", n, got.dir, got.ident, want)
		}
		again := bytes.Clone(file)
		s.sign(again)
		if !bytes.Equal(again, file) {
			t.Errorf("%d bytes: signing twice differs", n)
		}
		file[n-1] ^= 1
		if _, err := checkSignature(file, uint32(n), uint32(s.size())); err == nil {
			t.Errorf("%d bytes: a changed last byte still verifies", n)
		}
	}
}

// machoSignature checks the signature of a Mach-O file written by WriteMachO: it must verify,
// be the last thing in the file and in __LINKEDIT, and name __TEXT as the executable segment.
func machoSignature(t *testing.T, f *macho.File, b []byte, ident string) {
	t.Helper()
	var cmd machoLinkeditCmd
	if rawCmd(t, f, 0x1d, &cmd); cmd.Len != 16 { // LC_CODE_SIGNATURE
		t.Fatalf("LC_CODE_SIGNATURE %+v", cmd)
	}
	if cmd.DataOff%16 != 0 || uint64(cmd.DataOff)+uint64(cmd.DataSize) != uint64(len(b)) {
		t.Errorf("signature [%#x, +%#x) is not 16-byte aligned at the end of the %#x-byte file",
			cmd.DataOff, cmd.DataSize, len(b))
	}
	le := f.Segment("__LINKEDIT")
	if le == nil || le.Offset+le.Filesz != uint64(len(b)) {
		t.Errorf("__LINKEDIT does not end the file")
	}
	got, err := checkSignature(b, cmd.DataOff, cmd.DataSize)
	if err != nil {
		t.Fatalf("code signature: %v", err)
	}
	text := f.Segment("__TEXT")
	if got.dir.ExecSegBase != text.Offset || got.dir.ExecSegLimit != text.Filesz ||
		got.dir.ExecSegFlags != csExecSegMainBinary {
		t.Errorf("exec segment %#x+%#x flags %#x, want __TEXT %#x+%#x, main binary",
			got.dir.ExecSegBase, got.dir.ExecSegLimit, got.dir.ExecSegFlags, text.Offset, text.Filesz)
	}
	if got.dir.Version != csSupportsExecSeg || got.dir.Flags != csAdhoc {
		t.Errorf("CodeDirectory version %#x flags %#x, want %#x, CS_ADHOC", got.dir.Version, got.dir.Flags, csSupportsExecSeg)
	}
	if got.ident != ident {
		t.Errorf("identifier %q, want %q", got.ident, ident)
	}
}
