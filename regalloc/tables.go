package regalloc

// runTables are arrays the steps of Run fill anew for each function, kept with the
// allocator for the next one (runpool.go): each is resized, not made, and lives no
// longer than the step that fills it unless said otherwise.
type runTables struct {
	dom domTree // setup's; a.dom and the loop tables point into it

	// withInterval lists the values with an interval, in increasing order, for the
	// whole Run once finishIntervals has built it: the steps after it walk those
	// rather than every number, most of which have none (issue 21).
	withInterval []VReg

	// walkOrder's.
	last, count []int32
	order       []VReg
	keys        []uint64 // and assignSlots': sort keys

	// For the whole Run once built: jumpsBefore's, loopSpans' and depthMin's arrays.
	jumpsBefore []int32
	loopSpans   []loopSpan
	depthMin    depthMin

	// assignSlots'.
	spilled           []VReg
	downstream        []int32
	shadow, partnerIn bitset
	free, busy        [NumClasses][]slotUse
	slotEnd, slotGen  []int32
	occupied          [][]span
	slotSpans         []span
	partnerStart      []int32
	partnerNext       []int32
	partnerPairs      []VReg // slotPartners': argument, parameter, argument, ...
	partners          []slotPartner

	// resolve's.
	moves, sortedMoves  []keyedMove
	group               []pmove
	onEdges             []bool
	paramTo             []Loc
	liveStart, liveNext []int32
	live                []liveReg
}

// trim drops the arrays that grow with more than a function's size (values live across
// blocks, moves on edges) when they are large: the function's size bounds the others.
func (t *runTables) trim() {
	const most = 8 * reuseMax
	if cap(t.live) > most {
		t.live = nil
	}
	if cap(t.moves) > most || cap(t.sortedMoves) > most || cap(t.keys) > most {
		t.moves, t.sortedMoves, t.keys = nil, nil, nil
	}
}
