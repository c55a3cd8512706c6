// Package wat owns the WebAssembly text format and the .wast script format of the spec test
// suite: it turns text into the same [frontend.Module] the binary decoder produces, so that
// one validator and one lowering serve both. [ParseModule] reads a module, [ParseScript] a
// script, whose modules are parsed only by [ModuleDef.Load], so that a malformed one fails
// its own assertion rather than the whole script.
//
// Parsing runs in layers, one file each: a lexer (lexer.go) turns bytes into tokens, a
// reader (sexpr.go) builds the S-expression tree, and the module and script parsers walk
// the tree. A module takes two passes over its fields: the first (module.go, declare) binds
// every index space and identifier, so that references may point forward and an import
// after a definition is caught; the second (define) resolves type uses, encodes function
// bodies and constant expressions into the binary instruction format (instr.go, simd.go)
// and fills the module in source order. Literals (literal.go) are parsed to the spec's
// grammar, and floats round once, directly to their format.
//
// Invariants:
//   - Nothing here panics on input; every failure is a [*SyntaxError] naming file, line and
//     column. When the text breaks (a bad token, a parenthesis too many or too few), the
//     error that comes first in the text wins, as in a parser reading left to right.
//   - Only text-level malformations are rejected (the spec's assert_malformed); a module
//     that parses but breaks a typing rule (assert_invalid) is produced as is and left to
//     [frontend.Validate]. Numeric indices are therefore never range-checked here, while a
//     symbolic one that names nothing is a syntax error, as in the reference interpreter,
//     whose error wording the messages follow.
//   - Every module item carries Offset, the byte offset of its opening parenthesis in the
//     source, and every function body a SrcMap from instruction to token, so a validation
//     error becomes file:line:col with [Position].
//   - Identifiers fill [frontend.Module.Names] (module, functions, parameters and locals);
//     Customs stays empty, and frontend.Encode writes the name section from Names.
//   - The instruction names come from [frontend.ForEachOp]; there is no second list here.
//
// The package imports only frontend (DESIGN.md: frontend/wat → frontend).
package wat
