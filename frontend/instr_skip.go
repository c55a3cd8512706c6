package frontend

// skipShort returns the offset after the instruction at body[pos:] if ReadInstr would
// read it in a short form (instr_short.go), or 0: the decoder's pass over every body needs
// only where each instruction ends and, of a few, the opcode and index, and filling an
// Instr for each was two thirds of that pass (issue 21). idx is the index immediate of
// an instruction with one (shortIdx), as ReadInstr would set Idx. The checks are
// ReadInstr's: what they pass the reader could not fail.
func skipShort(body []byte, pos int) (next int, idx uint32) {
	if pos < 0 || len(body)-pos < 3 {
		return 0, 0
	}
	b := body[pos : pos+3 : pos+3]
	switch shortKinds[b[0]] {
	case shortNone:
		return pos + 1, 0
	case shortIdx:
		if b[1] < 0x80 {
			return pos + 2, uint32(b[1])
		}
		v, next := shortUleb(body, pos+1, 4)
		return next, uint32(v)
	case shortConst:
		if b[1] < 0x80 {
			return pos + 2, 0
		}
		_, next := shortSleb(body, pos+1, shortConstBytes[b[0]&1])
		return next, 0
	case shortBlock:
		if b[1] < 0x80 && shortBlockTypes[b[1]] {
			return pos + 2, 0
		}
	case shortMem:
		if b[1] >= 32 {
			return 0, 0
		}
		if b[2] < 0x80 {
			return pos + 3, 0
		}
		_, next := shortUleb(body, pos+2, 4)
		return next, 0
	}
	return 0, 0
}

// skipPlain returns the offset of the first instruction at or after body[pos:] that is
// not in a short form or whose kind in kinds, shortKinds with some opcodes cleared to
// shortNo, is shortNo: the run of instructions before it, most of a body, is skipped in
// one loop whose position stays in a register. It is skipSized without the sizes, which
// cost the decoder's pass a twentieth.
func skipPlain(body []byte, pos int, kinds *[0x100]shortKind) int {
	last := len(body) - 3 // the last position with three bytes to read, as ReadInstr's forms
	if pos < 0 || last < 0 {
		return pos
	}
	for uint(pos) <= uint(last) {
		b := body[pos : pos+3 : pos+3]
		next := 0
		switch kinds[b[0]] {
		case shortNone:
			pos++
			continue
		case shortIdx:
			if b[1] < 0x80 {
				pos += 2
				continue
			}
			_, next = shortUleb(body, pos+1, 4)
		case shortConst:
			if b[1] < 0x80 {
				pos += 2
				continue
			}
			_, next = shortSleb(body, pos+1, shortConstBytes[b[0]&1])
		case shortBlock:
			if b[1] < 0x80 && shortBlockTypes[b[1]] {
				pos += 2
				continue
			}
		case shortMem:
			if b[1] < 32 {
				if b[2] < 0x80 {
					pos += 3
					continue
				}
				_, next = shortUleb(body, pos+2, 4)
			}
		}
		if next == 0 {
			return pos
		}
		pos = next
	}
	return pos
}

// skipSized is skipPlain that also returns the sum of sizes[op] over the instructions
// it skipped, for Calls's estimate of a body's size.
func skipSized(body []byte, pos int, kinds *[0x100]shortKind, sizes *[0x100]uint8) (int, int) {
	last := len(body) - 3 // the last position with three bytes to read, as ReadInstr's forms
	if pos < 0 || last < 0 {
		return pos, 0
	}
	size := 0
	for uint(pos) <= uint(last) {
		b := body[pos : pos+3 : pos+3]
		next := 0
		switch kinds[b[0]] {
		case shortNone:
			size += int(sizes[b[0]])
			pos++
			continue
		case shortIdx:
			if b[1] < 0x80 {
				size += int(sizes[b[0]])
				pos += 2
				continue
			}
			_, next = shortUleb(body, pos+1, 4)
		case shortConst:
			if b[1] < 0x80 {
				size += int(sizes[b[0]])
				pos += 2
				continue
			}
			_, next = shortSleb(body, pos+1, shortConstBytes[b[0]&1])
		case shortBlock:
			if b[1] < 0x80 && shortBlockTypes[b[1]] {
				size += int(sizes[b[0]])
				pos += 2
				continue
			}
		case shortMem:
			if b[1] < 32 {
				if b[2] < 0x80 {
					size += int(sizes[b[0]])
					pos += 3
					continue
				}
				_, next = shortUleb(body, pos+2, 4)
			}
		}
		if next == 0 {
			return pos, size
		}
		size += int(sizes[b[0]])
		pos = next
	}
	return pos, size
}
