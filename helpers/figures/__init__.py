"""The figures and live demos of each notebook, one module per notebook
(``helpers.figures.nb05`` draws notebook 05's pictures). A notebook cell calls
one function with the quantities its text talks about; the layout, labels and
widget wiring live here."""
