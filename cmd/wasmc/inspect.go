package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
)

func newInspectCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Describe a module's contents",
		Long: `inspect prints a module's sections with their sizes, types, imports, exports,
functions with their names and body sizes, tables, memories, globals, data and element
segments, and custom sections. The module need not be valid, only well formed.

With --json the same facts are printed as one JSON object, for scripts.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			m, err := driver.Decode(args[0], data)
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), err)
				return &exitError{code: 1}
			}
			r := newReport(m)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(r)
			}
			r.print(cmd.OutOrStdout())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	return cmd
}

// report is what inspect prints; its JSON field names are a stable interface for scripts.
type report struct {
	Sections []reportSection `json:"sections"`
	Types    []string        `json:"types"`
	Imports  []reportImport  `json:"imports"`
	Funcs    []reportFunc    `json:"functions"`
	Tables   []string        `json:"tables"`
	Memories []string        `json:"memories"`
	Globals  []string        `json:"globals"`
	Exports  []reportExport  `json:"exports"`
	Start    *uint32         `json:"start,omitempty"`
	Elems    []string        `json:"elements"`
	Datas    []reportData    `json:"data"`
	Customs  []reportCustom  `json:"customs"`
}

type reportSection struct {
	Name   string `json:"name"`
	ID     byte   `json:"id"`
	Offset int64  `json:"offset"`
	Size   uint32 `json:"size"`
}

type reportImport struct {
	Module string `json:"module"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Desc   string `json:"desc"`
}

type reportFunc struct {
	Index    uint32 `json:"index"`
	Name     string `json:"name,omitempty"`
	Type     string `json:"type"`
	Imported bool   `json:"imported,omitempty"`
	BodySize int    `json:"body_size,omitempty"`
	Locals   uint64 `json:"locals,omitempty"`
}

type reportExport struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Index uint32 `json:"index"`
}

type reportData struct {
	Mode string `json:"mode"`
	Mem  uint32 `json:"memory"`
	Size int    `json:"size"`
}

type reportCustom struct {
	Name string `json:"name"`
	Size int    `json:"size"`
}

func newReport(m *frontend.Module) *report {
	r := &report{Start: nil}
	for _, s := range m.Sections {
		r.Sections = append(r.Sections, reportSection{Name: s.Name, ID: s.ID, Offset: s.Offset, Size: s.Size})
	}
	for _, t := range m.Types {
		r.Types = append(r.Types, t.String())
	}
	typeStr := func(idx uint32) string {
		if int(idx) < len(m.Types) {
			return m.Types[idx].String()
		}
		return fmt.Sprintf("type %d (out of range)", idx)
	}
	var fidx uint32
	for _, im := range m.Imports {
		ri := reportImport{Module: im.Module, Name: im.Name, Kind: im.Kind.String()}
		switch im.Kind {
		case frontend.ExternFunc:
			ri.Desc = typeStr(im.Type)
			r.Funcs = append(r.Funcs, reportFunc{Index: fidx, Name: m.Names.FuncName(fidx), Type: ri.Desc, Imported: true})
			fidx++
		case frontend.ExternTable:
			ri.Desc = tableStr(im.Table)
		case frontend.ExternMemory:
			ri.Desc = limitsStr(im.Mem.Limits)
		case frontend.ExternGlobal:
			ri.Desc = globalTypeStr(im.Global)
		}
		r.Imports = append(r.Imports, ri)
	}
	for i, f := range m.Funcs {
		rf := reportFunc{Index: fidx, Name: m.Names.FuncName(fidx), Type: typeStr(f.Type)}
		if i < len(m.Codes) {
			rf.BodySize = len(m.Codes[i].Body)
			for _, l := range m.Codes[i].Locals {
				rf.Locals += uint64(l.Count)
			}
		}
		r.Funcs = append(r.Funcs, rf)
		fidx++
	}
	for _, t := range m.Tables {
		r.Tables = append(r.Tables, tableStr(t))
	}
	for _, mem := range m.Mems {
		r.Memories = append(r.Memories, limitsStr(mem.Limits))
	}
	for _, g := range m.Globals {
		r.Globals = append(r.Globals, globalTypeStr(g.Type))
	}
	for _, e := range m.Exports {
		r.Exports = append(r.Exports, reportExport{Name: e.Name, Kind: e.Kind.String(), Index: e.Index})
	}
	if m.Start != nil {
		s := m.Start.Func
		r.Start = &s
	}
	for _, e := range m.Elems {
		r.Elems = append(r.Elems, fmt.Sprintf("%s %s, %d elements", modeStr(e.Mode, e.Table, "table"), e.Type, e.Len()))
	}
	for _, d := range m.Datas {
		r.Datas = append(r.Datas, reportData{Mode: modeStr(d.Mode, d.Mem, "memory"), Mem: d.Mem, Size: len(d.Init)})
	}
	for _, c := range m.Customs {
		r.Customs = append(r.Customs, reportCustom{Name: c.Name, Size: len(c.Data)})
	}
	return r
}

func limitsStr(l frontend.Limits) string {
	if l.HasMax {
		return fmt.Sprintf("min %d max %d", l.Min, l.Max)
	}
	return fmt.Sprintf("min %d", l.Min)
}

func tableStr(t frontend.TableType) string { return t.Elem.String() + " " + limitsStr(t.Limits) }

func globalTypeStr(g frontend.GlobalType) string {
	if g.Mutable {
		return "mut " + g.Type.String()
	}
	return g.Type.String()
}

func modeStr(m frontend.SegmentMode, idx uint32, what string) string {
	switch m {
	case frontend.SegPassive:
		return "passive"
	case frontend.SegDeclarative:
		return "declarative"
	}
	return fmt.Sprintf("active %s %d", what, idx)
}

func (r *report) print(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("sections:\n")
	for _, s := range r.Sections {
		p("  %-10s at 0x%06x size %d\n", s.Name, s.Offset, s.Size)
	}
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		p("%s (%d):\n", title, len(items))
		for i, it := range items {
			p("  %d: %s\n", i, it)
		}
	}
	list("types", r.Types)
	if len(r.Imports) > 0 {
		p("imports (%d):\n", len(r.Imports))
		for i, im := range r.Imports {
			p("  %d: %s %q.%q %s\n", i, im.Kind, im.Module, im.Name, im.Desc)
		}
	}
	if len(r.Funcs) > 0 {
		p("functions (%d):\n", len(r.Funcs))
		for _, f := range r.Funcs {
			name := ""
			if f.Name != "" {
				name = " $" + f.Name
			}
			if f.Imported {
				p("  %d%s: %s (imported)\n", f.Index, name, f.Type)
			} else {
				p("  %d%s: %s, body %d bytes, %d locals\n", f.Index, name, f.Type, f.BodySize, f.Locals)
			}
		}
	}
	list("tables", r.Tables)
	list("memories", r.Memories)
	list("globals", r.Globals)
	if len(r.Exports) > 0 {
		p("exports (%d):\n", len(r.Exports))
		for _, e := range r.Exports {
			p("  %q: %s %d\n", e.Name, e.Kind, e.Index)
		}
	}
	if r.Start != nil {
		p("start: func %d\n", *r.Start)
	}
	list("elements", r.Elems)
	if len(r.Datas) > 0 {
		p("data (%d):\n", len(r.Datas))
		for i, d := range r.Datas {
			p("  %d: %s, %d bytes\n", i, d.Mode, d.Size)
		}
	}
	if len(r.Customs) > 0 {
		names := make([]string, len(r.Customs))
		for i, c := range r.Customs {
			names[i] = fmt.Sprintf("%q (%d bytes)", c.Name, c.Size)
		}
		p("custom sections: %s\n", strings.Join(names, ", "))
	}
}
