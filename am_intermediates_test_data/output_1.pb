
Bselect_1Jlç¼¼ci¾Y!Ó=—–¿