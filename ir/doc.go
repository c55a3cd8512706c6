// Package ir owns wasmc's intermediate representation: typed SSA form with block
// parameters, its op table, a builder, a verifier, dominators, and a text form that
// round-trips. The frontend lowers wasm into it, passes rewrite it, the reference
// interpreter runs it and the backends select instructions from it. It imports nothing
// from wasmc (DESIGN.md, "Packages").
//
// # Block parameters instead of phis
//
// A block declares typed parameters and every branch passes one argument per parameter,
// as in Cranelift, wazero's optimizing compiler (internal/engine/wazevo/ssa/ssa.go) and
// MLIR ("Block Arguments vs PHI nodes",
// https://mlir.llvm.org/docs/Rationale/Rationale/#block-arguments-vs-phi-nodes). A value
// is then defined in exactly one place with no special case at block starts; the values
// flowing along an edge sit on the branch itself, so splitting an edge, threading a jump
// or resolving moves in the register allocator needs no phi bookkeeping; and wasm's own
// block results map one to one onto parameters. The entry block's parameters are the
// function's parameters, so no branch may target the entry.
//
// The frontend builds SSA form directly with [Builder] (Braun et al., "Simple and
// Efficient Construction of SSA Form", CC 2013): a variable read in a block with several
// predecessors becomes a new block parameter, whose arguments are appended to the
// incoming branches once they are all known; a trivial parameter is removed and aliased
// to the one value it always receives, and [Func.ResolveAliases] rewrites the uses at the
// end. There is no mem2reg and no phi cleanup.
//
// # Representation
//
// A [Func] keeps dense slices indexed by number: Values (type and definition of each
// [Value], printed v12), Blocks (parameters and instruction list of each [BlockID],
// printed b3), Instrs (each [Instr] by [InstrID]), plus the Layout, the order of the
// blocks. Numbers survive printing and parsing, and passes keep them, so dumps of
// successive stages line up. An instruction may define several values (a call with
// multi-value results): each result is an ordinary Value, and [ValueData] records the
// defining instruction and the result's position. Analyses ([Func.CFG], [Func.Dom]) are
// cached accessors that check themselves against the blocks and branches on each call.
//
// Every op is described once, in the op table of ops.go: its text name, operand and
// result typing, text syntax and [Flags]. Checks are explicit: wasm's implicit traps
// become trapif, boundscheck and trapping ops before the instructions they guard, which
// are flagged Guarded (undefined where the check would have trapped), so passes can see
// each check, prove it redundant and delete it. Memory ops name their memory, because a
// linked program has several (the guest's and the runtime's).
//
// # Text form
//
// The text form is line-based: every declaration, block header and instruction ends
// with a newline. Spaces and tabs separate tokens; ';' starts a comment that runs to the
// end of the line. Values are defined with their type (v3:i32) and used by name alone.
// Functions and globals are named $name; memories, tables, data and element segments by
// their index (mem0, table1, data2, elem0), and their declarations must come in index
// order. Names may be used before their declaration; memories and tables only after
// theirs by data and element segments. The grammar, in EBNF (NL is a
// newline; {x} repeats, [x] is optional):
//
//	module   = { decl | NL } .
//	decl     = memory | table | global | func | data | elem | export | start .
//	memory   = [ "import" ] "memory" memN [ "i64" ] limits [ from ] NL .
//	table    = [ "import" ] "table" tableN reftype limits [ from ] NL .
//	limits   = "min" uint [ "max" uint ] .
//	from     = "from" string string .
//	global   = "global" name [ "mut" ] type "=" const NL
//	         | "import" "global" name [ "mut" ] type from NL .
//	func     = "func" name sig "{" NL { block } "}" NL
//	         | "import" "func" name sig from NL .
//	sig      = "(" [ type { "," type } ] ")" [ "->" type { "," type } ] .
//	block    = blockN [ "(" def { "," def } ")" ] ":" NL { instr NL } .
//	instr    = [ def { "," def } "=" ] opname operands .
//	def      = valueN ":" type .
//	data     = "data" dataN ( "active" memN "at" const | "passive" ) string NL .
//	elem     = "elem" elemN ( "active" tableN "at" const | "passive" | "declare" )
//	           reftype "[" [ const { "," const } ] "]" NL .
//	export   = "export" string ( "func" name | "table" tableN | "memory" memN
//	           | "global" name ) NL .
//	start    = "start" name NL .
//	const    = "iconst" int | "f32const" float | "f64const" float | "v128const" hex128
//	         | "refnull" | "reffunc" name | "globalget" name .
//	type     = "i32" | "i64" | "f32" | "f64" | "v128" | "ptr" | reftype .
//	reftype  = "funcref" | "externref" .
//	name     = "$" namechar { namechar } | "$" string .   namechar: A-Z a-z 0-9 _ .
//	valueN   = "v" decimal .   blockN = "b" decimal .     memN = "mem" decimal .
//	tableN   = "table" decimal .  dataN = "data" decimal .  elemN = "elem" decimal .
//	uint     = decimal | "0x" hexdigits .
//	int      = [ "-" | "+" ] uint .                 (must fit the type, signed or unsigned)
//	float    = decimal or hex float (Go syntax) | [ "-" | "+" ] ( "inf" | "nan" )
//	         | "nan:0x" hexdigits .                 (the full bits of a NaN)
//	hex128   = "0x" 1 to 32 hexdigits .             (the 128-bit little-endian integer)
//	string   = '"' { printable | "\" hex hex | "\n" | "\t" | "\r" | "\"" | "\'" | "\\" } '"' .
//
// The operands of each op, after its name (a, b, c, d, i, n, r, s, v, x are values; the
// argument list of a block may be left out when it is empty; cc, code and the lane shape
// sh, one of i8x16 i16x8 i32x4 i64x2 f32x4 f64x2, are words):
//
//	iconst int    f32const float    f64const float    v128const hex128    refnull    reffunc $f
//	iadd a, b     (and isub imul sdiv udiv srem urem iand ior ixor ishl ushr sshr rotl rotr
//	               fadd fsub fmul fdiv fmin fmax fcopysign)
//	clz a         (and ctz popcnt eqz extend8 extend16 extend32 sext zext wrap fabs fneg
//	               fsqrt fceil ffloor ftrunc fnearest fpromote fdemote fptosi fptoui
//	               fptosisat fptouisat sitofp uitofp bitcast copy refisnull)
//	icmp cc a, b  (cc: eq ne slt sle sgt sge ult ule ugt uge)
//	fcmp cc a, b  (cc: eq ne lt le gt ge)
//	select c, a, b
//	load[.s8|.u8|.s16|.u16|.s32|.u32] memN[a + uint]
//	store[.8|.16|.32] memN[a + uint], v
//	boundscheck memN, a, uint
//	memsize memN    memgrow memN, d    memfill memN, d, v, n    datadrop dataK
//	memcopy memD, memS, d, s, n        meminit memN, dataK, d, s, n
//	globalget $g    globalset $g, v
//	tableget tableN, i    tableset tableN, i, r    tablesize tableN    tablegrow tableN, r, d
//	tablefill tableN, i, r, n    tablecopy tableD, tableS, d, s, n
//	tableinit tableN, elemK, d, s, n    elemdrop elemK
//	call $f(a, …)    callimport $f(a, …)    callindirect tableN, i(a, …)
//	vnot a        (and vanytrue vdemote vpromote)
//	vand a, b     (and vor vxor vandnot vswizzle)    vbitselect a, b, m
//	vineg sh a    (and viabs vpopcnt vsplat valltrue vbitmask vfabs vfneg vfsqrt vfceil
//	               vffloor vftrunc vfnearest)
//	viadd sh a, b (and visub vimul vavgr vq15mulrsat vdot vishl vfadd vfsub vfmul vfdiv
//	               vfmin vfmax vfpmin vfpmax)
//	vimin.s sh a, b  (.s or .u; and vimax vaddsat vsubsat vnarrow vextmullo vextmulhi
//	               vishr, and with one operand vextendlo vextendhi vextaddpairs
//	               vtruncsat vconvert)
//	vicmp sh cc a, b    vfcmp sh cc a, b    vshuffle a, b, hex128
//	vextract[.s] sh a, uint    vreplace sh a, x, uint
//	vloadext.s|.u sh memN[a + uint]    vloadsplat sh memN[a + uint]
//	vloadzero sh memN[a + uint]    vloadlane sh memN[a + uint], v, uint
//	vstorelane sh memN[a + uint], v, uint
//	trapif c, code   trap code
//	jump bN(a, …)    brif c, bT(a, …), bF(a, …)    brtable i, [bN(a, …), …], default bD(a, …)
//	return a, …
//
// Trap codes are unreachable, int_divide_by_zero, int_overflow, invalid_conversion,
// oob_memory, oob_table, indirect_call_type_mismatch, uninitialized_element,
// undefined_element, stack_exhausted, null_reference, memory_limit and table_limit
// ([TrapCode]). A load or store
// without a width suffix accesses its type's full size; callindirect's expected type is
// the types of its call operands and results. ops.go gives each op's semantics.
//
// The printer's output is canonical, and parsing it and printing again reproduces it
// byte for byte: declarations in the order memories, tables, globals, functions
// (imported ones at their index), data, elements, exports, start; one blank line around
// each function body; four spaces before each instruction; ", " between operands;
// integers in signed decimal; floats as the shortest decimal that round-trips, inf,
// -inf, or nan:0x with all the bits of a NaN; no comments. For example:
//
//	memory mem0 min 1
//
//	func $sum(i32, i32) -> i32 {
//	b0(v0:i32, v1:i32):
//	    v2:i32 = iconst 0
//	    jump b1(v0, v2)
//	b1(v3:i32, v4:i32):
//	    v5:i32 = icmp ult v3, v1
//	    brif v5, b2, b3(v4)
//	b2:
//	    boundscheck mem0, v3, 4
//	    v6:i32 = load mem0[v3 + 0]
//	    v7:i32 = iadd v4, v6
//	    v8:i32 = iconst 4
//	    v9:i32 = iadd v3, v8
//	    jump b1(v9, v7)
//	b3(v10:i32):
//	    return v10
//	}
//
// [Parse] reports malformed text as a *[SyntaxError] (line:col: msg) and never panics;
// [Verify] and [VerifyModule] check well-formed IR and report every problem as a
// *[VerifyError] quoting the instruction.
package ir
