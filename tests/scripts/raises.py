from value import Value

a = Value(2.0)
b = a * 3
c = b / 0  # a ZeroDivisionError in the learner's own code
c.backward()
