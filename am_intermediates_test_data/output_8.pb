
Bselect_4Jº-Á?DR¡¿þ¾