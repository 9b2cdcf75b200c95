
Bslice_2J$lç¼¼ci¾Y!Ó=áAÝ>YÝ‡¿±É¿æG¿>ex'?"@