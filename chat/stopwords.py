"""
Words that carry no meaning for retrieval, in English and Spanish.

Questions are full sentences ("¿Cómo se llamaban los dos hermanos...?"); left
in, their function words would match nearly every passage and hide the case
where nothing in the documents is about the question. Entries are lower-case
and without accents, as the words they are compared with. Words that are
function words in one language but content words in the other ("son", "sin",
"era") are left out.
"""

ENGLISH = frozenset(
    """
    a about above after again against all also am an and any are as at be
    because been before being below between both but by can could did do does
    doing down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom
    whose why will with would you your yours yourself yourselves
    """.split()  # noqa: SIM905 - a block of words reads better than strings
)

SPANISH = frozenset(
    """
    a al algo algun alguna algunas alguno algunos ante antes aquel aquella
    aquellas aquellos aqui asi cada como con contra cual cuales cuando cuanto
    de del desde donde durante e el ella ellas ello ellos en entre es esa esas
    ese eso esos esta estaba estaban estan estar este esto estos fue fueron ha
    han hasta hay la las le les lo los mas me mi mis mucho muchos muy nada ni
    no nos nosotros o os otra otras otro otros para pero poco por porque que
    quien quienes se sea segun ser si sido sino sobre su sus tambien tan te
    tiene tienen todo todos tu tus un una unas uno unos y ya yo
    """.split()  # noqa: SIM905 - a block of words reads better than strings
)

STOPWORDS = ENGLISH | SPANISH
