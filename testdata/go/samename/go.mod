module example.com/same/v2

go 1.21
