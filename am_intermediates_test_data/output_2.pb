
BsliceJlç¼¼ci¾Y!Ó=