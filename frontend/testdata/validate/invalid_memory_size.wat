;; want: "memory size must be at most 65536 pages (4GiB)" at 0xb
(module (memory 65537))
