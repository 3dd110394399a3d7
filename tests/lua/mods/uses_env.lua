-- helper: reads and writes globals of whatever _ENV it gets
counter = (counter or 0) + 1
return counter, x
