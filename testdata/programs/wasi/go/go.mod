module wasitest

go 1.26
