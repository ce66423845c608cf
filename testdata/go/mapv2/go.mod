module example.com/mapv2

go 1.22
