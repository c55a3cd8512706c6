package machorun

import (
	"bytes"
	"crypto/sha256"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
)

// This file holds the structural checks of a Mach-O executable that need no Mac and no
// loader (DESIGN.md decision 15): LLVM's three Mach-O readers must read it without a
// complaint, and its ad hoc signature must hold the SHA-256 of every page, recomputed here
// from xnu's osfmk/kern/cs_blobs.h independently of backend/codesign.go.

// llvmReaders are the dumps CheckStructure runs, each of the whole file.
var llvmReaders = [][]string{
	{"llvm-objdump-19", "--macho", "--private-headers"},
	{"llvm-otool-19", "-l"},
	{"llvm-readobj-19", "--all"},
}

// complaint matches what LLVM's readers print about a malformed file.
var complaint = regexp.MustCompile(`(?i)warning|error|malformed|truncated|invalid|unknown|bad `)

// CheckStructure runs LLVM's Mach-O readers (llvm-objdump-19 --macho --private-headers,
// llvm-otool-19 -l, llvm-readobj-19 --all) over the executable at path and fails if one
// fails or writes to stderr or complains in its output, then checks the code signature with
// [CheckSignature] if the file has one. The error wraps exec.ErrNotFound when a reader is
// not installed (Debian's llvm-19).
func CheckStructure(path string) error {
	for _, args := range llvmReaders {
		tool, err := exec.LookPath(args[0])
		if err != nil {
			return fmt.Errorf("machorun: checking %s needs %s: %w", path, args[0], err)
		}
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(tool, append(args[1:], path)...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil || stderr.Len() != 0 {
			return fmt.Errorf("machorun: %s %s: %v\n%s", strings.Join(args, " "), path, err, stderr.String())
		}
		for line := range strings.Lines(stdout.String()) {
			// A symbol's name is the program's own text (a wasm function named
			// strerror or invalid_input), not the reader's complaint.
			if strings.HasPrefix(strings.TrimSpace(line), "Name: ") {
				continue
			}
			if complaint.MatchString(line) {
				return fmt.Errorf("machorun: %s %s: %s", strings.Join(args, " "), path, strings.TrimSpace(line))
			}
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := CheckSignature(b); err != nil && !errors.Is(err, errUnsigned) {
		return err
	}
	return nil
}

var errUnsigned = errors.New("no LC_CODE_SIGNATURE")

// Numbers of cs_blobs.h and <mach-o/loader.h>.
const (
	lcCodeSignature      = 0x1d
	csMagicEmbedded      = 0xfade0cc0
	csMagicDirectory     = 0xfade0c02
	csSlotCodeDirectory  = 0
	csSlotRequirements   = 2
	csHashTypeSHA256     = 2
	csDirectoryFixedSize = 44 // through spare2, present in every version
)

// CheckSignature verifies the embedded code signature of the Mach-O file b as the kernel
// does page by page: the CodeDirectory must cover the file up to the signature, and each
// of its SHA-256 code slots must be the hash of its page, and its requirements slot the hash
// of the requirements blob. It returns an error wrapping a sentinel for a file with no
// LC_CODE_SIGNATURE (darwin/amd64 files need none).
func CheckSignature(b []byte) error {
	f, err := macho.NewFile(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("machorun: %v", err)
	}
	var off, size uint32
	for _, l := range f.Loads {
		raw := l.Raw()
		if f.ByteOrder.Uint32(raw) == lcCodeSignature && len(raw) >= 16 {
			off, size = f.ByteOrder.Uint32(raw[8:]), f.ByteOrder.Uint32(raw[12:])
		}
	}
	if size == 0 {
		return fmt.Errorf("machorun: %w", errUnsigned)
	}
	if uint64(off)+uint64(size) > uint64(len(b)) || size < 12 {
		return fmt.Errorf("machorun: signature at %#x+%#x outside the file", off, size)
	}
	be := binary.BigEndian
	sb := b[off : off+size]
	if be.Uint32(sb) != csMagicEmbedded {
		return fmt.Errorf("machorun: SuperBlob magic %#x", be.Uint32(sb))
	}
	blobs := map[uint32][]byte{}
	count := be.Uint32(sb[8:])
	for i := uint32(0); i < count; i++ {
		at := 12 + 8*uint64(i)
		if at+8 > uint64(len(sb)) {
			return fmt.Errorf("machorun: SuperBlob index overflows")
		}
		typ, boff := be.Uint32(sb[at:]), uint64(be.Uint32(sb[at+4:]))
		if boff+8 > uint64(len(sb)) || boff+uint64(be.Uint32(sb[boff+4:])) > uint64(len(sb)) {
			return fmt.Errorf("machorun: blob %#x outside the SuperBlob", typ)
		}
		blobs[typ] = sb[boff : boff+uint64(be.Uint32(sb[boff+4:]))]
	}
	cd := blobs[csSlotCodeDirectory]
	if len(cd) < csDirectoryFixedSize || be.Uint32(cd) != csMagicDirectory {
		return fmt.Errorf("machorun: no CodeDirectory")
	}
	hashOff, nSpecial, nCode := be.Uint32(cd[16:]), be.Uint32(cd[24:]), be.Uint32(cd[28:])
	codeLimit := uint64(be.Uint32(cd[32:]))
	hashSize, hashType, pageShift := uint64(cd[36]), cd[37], cd[39]
	if hashType != csHashTypeSHA256 || hashSize != sha256.Size || pageShift < 9 || pageShift > 16 {
		return fmt.Errorf("machorun: CodeDirectory hash type %d size %d page 2^%d", hashType, hashSize, pageShift)
	}
	if codeLimit != uint64(off) {
		return fmt.Errorf("machorun: CodeDirectory covers %#x bytes, the signature starts at %#x", codeLimit, off)
	}
	page := uint64(1) << pageShift
	if want := (codeLimit + page - 1) / page; uint64(nCode) != want {
		return fmt.Errorf("machorun: %d code slots for %d pages", nCode, want)
	}
	if uint64(hashOff) < uint64(nSpecial)*hashSize || uint64(hashOff)+uint64(nCode)*hashSize > uint64(len(cd)) {
		return fmt.Errorf("machorun: CodeDirectory slots outside it")
	}
	slot := func(i int64) []byte {
		at := int64(hashOff) + i*int64(hashSize)
		return cd[at : at+int64(hashSize)]
	}
	for i := uint64(0); i < uint64(nCode); i++ {
		sum := sha256.Sum256(b[i*page : min((i+1)*page, codeLimit)])
		if !bytes.Equal(slot(int64(i)), sum[:]) {
			return fmt.Errorf("machorun: code slot %d: hash % x, the page's is % x", i, slot(int64(i)), sum)
		}
	}
	if req, ok := blobs[csSlotRequirements]; ok && nSpecial >= csSlotRequirements {
		sum := sha256.Sum256(req)
		if !bytes.Equal(slot(-csSlotRequirements), sum[:]) {
			return fmt.Errorf("machorun: requirements slot: hash % x, the blob's is % x", slot(-csSlotRequirements), sum)
		}
	}
	return nil
}
