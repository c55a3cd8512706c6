// Command gobig is the large Go module of wasmc's benchmarks: a real program that pulls in
// a good part of the standard library (fmt, encoding/json, regexp, compress/gzip, sort,
// strconv, math/big, text/template), so that decoding, validating and compiling it measures
// the compiler on code the Go toolchain generates.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

type record struct {
	Name  string   `json:"name"`
	Score float64  `json:"score"`
	Tags  []string `json:"tags"`
}

func main() {
	recs := []record{{"alpha", 3.5, []string{"x", "y"}}, {"beta", 1.25, nil}, {"gamma", 2.0, []string{"z"}}}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Score < recs[j].Score })
	js, err := json.Marshal(recs)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var back []record
	if err := json.Unmarshal(js, &back); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bytes.Repeat(js, 10))
	zw.Close()
	zr, _ := gzip.NewReader(&buf)
	plain, _ := io.ReadAll(zr)
	re := regexp.MustCompile(`"name":"([a-z]+)"`)
	names := re.FindAllStringSubmatch(string(js), -1)
	f := new(big.Int).MulRange(1, 30)
	t := template.Must(template.New("t").Parse("{{range .}}{{.Name}}={{printf \"%.2f\" .Score}} {{end}}\n"))
	t.Execute(os.Stdout, back)
	fmt.Println(len(plain), len(names), f.String(), strconv.Quote(strings.ToUpper("done")))
}
