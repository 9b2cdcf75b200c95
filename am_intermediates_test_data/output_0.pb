
BselectJ0lÁººciæY!”=óñø·A›>Y›áø±…ùø&F$?ÊGø>ex'?"@HÔX?