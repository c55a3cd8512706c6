module gobig

go 1.26
