module example.com/initregs

go 1.21
