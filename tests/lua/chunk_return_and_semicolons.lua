-- Empty statements, semicolons and a top-level return ending the chunk.
;;; local a = 1; ; print(a);
do ; end
do local b = 2; print(b) end
-- comment at end of line
print("before return") --[[ inline long comment ]] print("same line")
return print("returned")
