package backend

// EntryConfig says what a program's process entry does ([ISA.Runtime]) after it has set up
// the stack and the memories: call Steps in order, then exit with status 0. The driver
// fills it in from the linked module; the ISA turns it into code.
type EntryConfig struct {
	// OS is the operating system the executable runs on: its system calls and start-up.
	OS OS
	// Steps are functions of the linked module, each of type () -> (), called in order:
	// the runtime's and the modules' initialisation, then the program (a command's _start,
	// an --invoke wrapper, or a .wast script's commands).
	Steps []uint32
	// Driver makes each step a .wast command (DESIGN.md decision 11): a trap in it unwinds
	// to the entry, which calls DriverTrap with the trap code and goes on with the next
	// step. Otherwise a trap calls Trap, which reports it and exits.
	Driver bool
	// Trap is the function index of the runtime's wasmc_trap(code i32, pc i64, fp i64),
	// which never returns: pc is the trap site's return address and fp the frame pointer
	// there, from which it prints a backtrace; DriverTrap that of wasmc_driver_trap(code
	// i32).
	Trap, DriverTrap uint32
	// ArgsInit, if not zero, is 1 + the function index of the runtime's
	// wasmc_args_init, which entry calls before the steps: on Linux with the process's
	// initial stack pointer (argc, argv, envp, auxv), on darwin with main's argc and argv
	// (the darwin runtime's takes those two).
	ArgsInit uint32
	// SystemImports are the libSystem functions an ir.OpSyscall may call on darwin,
	// indexed by [ir.LibcallImm]'s slot ([Runtime.SystemImports]); entry adds those it
	// calls itself. Nil on Linux.
	SystemImports []Import
	// RoutineFunc binds the runtime routines that the runtime's C implements
	// ([Runtime.RoutineFunc], [RuntimeRoutine.Export]).
	RoutineFunc [NumRuntimeRoutines]uint32
	// StackSize is the size of the stack that entry maps for wasm code, in bytes; zero
	// means DefaultStackSize.
	StackSize uint64
	// BoundsChecks must be what the code was compiled with ([Config.BoundsChecks]): with
	// guard pages, entry installs the fault handler that turns an access into a guard
	// region into a trap.
	BoundsChecks BoundsChecks
	// CPU must be what the code was compiled with ([Config.CPU]): entry refuses, in one
	// line, a processor below it.
	CPU CPU
}

// DefaultStackSize is the native stack wasm code runs on.
const DefaultStackSize = 8 << 20
