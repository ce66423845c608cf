module example.com/tool

go 1.21

require github.com/alecthomas/kong v1.6.0
