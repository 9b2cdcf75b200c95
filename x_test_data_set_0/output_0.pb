
Blinear_2J –¢V¾tû>­èU¾Wû>˜½V¾¥Yû>îV¾@Cû>