//! The register instruction table: every instruction, declared once.
//!
//! Row syntax: `Name: Format { field: Type @ Slot, ... } [FLAGS] "meaning";` with the
//! meaning in Lua's `R[A] := R[B] + K[C]` notation (`R` registers, `K` constants, `U`
//! upvalues, `P` child procs; `sBx`, `sC`... the signed field values). Opcode numbers
//! are the row order: **new instructions go at the end**, so numbers stay stable.
//!
//! Conditional instructions (flag `COND`) are always followed by a `Jmp`: when their
//! condition equals the sense bit `k`, control continues at that jump's target, otherwise
//! the jump is skipped. Instructions with flag `EXTRA` are always followed by an `ExtraArg`
//! word. Both pairs execute as one instruction.
//!
//! Superinstructions (flag `FUSED`, at the end of the table) take their first part's
//! operands; the word after them is a complete instruction of their second part, which
//! they run inline. `fused.rs` names the parts.

/// Calls `$m!` with the full table (see the module documentation for the row syntax).
#[macro_export]
macro_rules! for_each_reg_op {
    ($m:ident) => {
        $m! {
            /// Copy a register.
            Move: ABC { a: Reg @ A, b: Reg @ B } [] "R[A] := R[B]";
            /// Load a small integer.
            LoadI: AsBx { a: Reg @ A, sbx: Imm @ Bx } [] "R[A] := sBx";
            /// Load a small integral float.
            LoadF: AsBx { a: Reg @ A, sbx: Imm @ Bx } [] "R[A] := (float)sBx";
            /// Load a constant.
            LoadK: ABx { a: Reg @ A, bx: ConstIdx @ Bx } [] "R[A] := K[Bx]";
            /// Load a constant whose index is in the following `ExtraArg`.
            LoadKx: ABC { a: Reg @ A } [EXTRA] "R[A] := K[extra]";
            LoadFalse: ABC { a: Reg @ A } [] "R[A] := false";
            LoadTrue: ABC { a: Reg @ A } [] "R[A] := true";
            /// Set `B + 1` registers to nil.
            LoadNil: ABC { a: Reg @ A, b: Count @ B } [] "R[A], ..., R[A+B] := nil";
            GetUpval: ABC { a: Reg @ A, b: UpvalIdx @ B } [] "R[A] := U[B]";
            SetUpval: ABC { a: Reg @ A, b: UpvalIdx @ B } [] "U[B] := R[A]";
            /// Global read when `U[B]` is `_ENV`.
            GetTabUp: ABC { a: Reg @ A, b: UpvalIdx @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := U[B][K[C]:string]";
            /// Global write when `U[A]` is `_ENV`.
            SetTabUp: ABC { a: UpvalIdx @ A, b: ConstIdx @ B, c: Reg @ C } [RAISE, CALL] "U[A][K[B]:string] := R[C]";
            GetTable: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B][R[C]]";
            GetI: ABC { a: Reg @ A, b: Reg @ B, c: Count @ C } [RAISE, CALL] "R[A] := R[B][C]";
            GetField: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B][K[C]:string]";
            SetTable: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A][R[B]] := R[C]";
            SetI: ABC { a: Reg @ A, b: Count @ B, c: Reg @ C } [RAISE, CALL] "R[A][B] := R[C]";
            SetField: ABC { a: Reg @ A, b: ConstIdx @ B, c: Reg @ C } [RAISE, CALL] "R[A][K[B]:string] := R[C]";
            /// New table; B is the hash-size hint, C + 256 * extra the array-size hint.
            NewTable: ABC { a: Reg @ A, b: Count @ B, c: Count @ C } [EXTRA, ALLOC] "R[A] := {}";
            /// Method lookup keeping the receiver.
            Self_: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A+1] := R[B]; R[A] := R[B][K[C]:string]";
            Add: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] + R[C]";
            Sub: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] - R[C]";
            Mul: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] * R[C]";
            Mod: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] % R[C]";
            Pow: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] ^ R[C]";
            Div: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] / R[C]";
            IDiv: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] // R[C]";
            BAnd: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] & R[C]";
            BOr: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] | R[C]";
            BXor: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] ~ R[C]";
            Shl: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] << R[C]";
            Shr: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL] "R[A] := R[B] >> R[C]";
            AddK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] + K[C]:number";
            SubK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] - K[C]:number";
            MulK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] * K[C]:number";
            ModK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] % K[C]:number";
            PowK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] ^ K[C]:number";
            DivK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] / K[C]:number";
            IDivK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] // K[C]:number";
            BAndK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] & K[C]:integer";
            BOrK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] | K[C]:integer";
            BXorK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] ~ K[C]:integer";
            ShlK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] << K[C]:integer";
            ShrK: ABC { a: Reg @ A, b: Reg @ B, c: ConstIdx @ C } [RAISE, CALL] "R[A] := R[B] >> K[C]:integer";
            AddI: ABC { a: Reg @ A, b: Reg @ B, c: Imm @ C } [RAISE, CALL] "R[A] := R[B] + sC";
            Unm: ABC { a: Reg @ A, b: Reg @ B } [RAISE, CALL] "R[A] := -R[B]";
            BNot: ABC { a: Reg @ A, b: Reg @ B } [RAISE, CALL] "R[A] := ~R[B]";
            Not: ABC { a: Reg @ A, b: Reg @ B } [] "R[A] := not R[B]";
            Len: ABC { a: Reg @ A, b: Reg @ B } [RAISE, CALL] "R[A] := #R[B]";
            Concat: ABC { a: Reg @ A, b: Count @ B } [RAISE, CALL, ALLOC] "R[A] := R[A] .. ... .. R[A+B-1]";
            Jmp: Ax { sj: JumpOffset @ Ax } [JUMP, ENDS] "pc += sJ";
            Eq: ABC { a: Reg @ A, b: Reg @ B, k: Flag @ C } [RAISE, CALL, COND] "if (R[A] == R[B]) == k then jump";
            Lt: ABC { a: Reg @ A, b: Reg @ B, k: Flag @ C } [RAISE, CALL, COND] "if (R[A] < R[B]) == k then jump";
            Le: ABC { a: Reg @ A, b: Reg @ B, k: Flag @ C } [RAISE, CALL, COND] "if (R[A] <= R[B]) == k then jump";
            EqK: ABC { a: Reg @ A, b: ConstIdx @ B, k: Flag @ C } [COND] "if (R[A] == K[B]) == k then jump";
            EqI: ABC { a: Reg @ A, b: Imm @ B, k: Flag @ C } [COND] "if (R[A] == sB) == k then jump";
            LtI: ABC { a: Reg @ A, b: Imm @ B, k: Flag @ C } [RAISE, CALL, COND] "if (R[A] < sB) == k then jump";
            LeI: ABC { a: Reg @ A, b: Imm @ B, k: Flag @ C } [RAISE, CALL, COND] "if (R[A] <= sB) == k then jump";
            GtI: ABC { a: Reg @ A, b: Imm @ B, k: Flag @ C } [RAISE, CALL, COND] "if (R[A] > sB) == k then jump";
            GeI: ABC { a: Reg @ A, b: Imm @ B, k: Flag @ C } [RAISE, CALL, COND] "if (R[A] >= sB) == k then jump";
            Test: ABC { a: Reg @ A, k: Flag @ C } [COND] "if truthy(R[A]) == k then jump";
            TestSet: ABC { a: Reg @ A, b: Reg @ B, k: Flag @ C } [COND] "if truthy(R[B]) == k then R[A] := R[B]; jump";
            /// B = 0: arguments up to the pack end; C = 0: the results form a pack.
            Call: ABC { a: Reg @ A, b: Count @ B, c: Count @ C } [RAISE, CALL, ALLOC] "R[A], ..., R[A+C-2] := R[A](R[A+1], ..., R[A+B-1])";
            /// B = 0: arguments up to the pack end.
            TailCall: ABC { a: Reg @ A, b: Count @ B } [RAISE, CALL, ENDS] "return R[A](R[A+1], ..., R[A+B-1])";
            /// B = 0: values up to the pack end.
            Return: ABC { a: Reg @ A, b: Count @ B } [ENDS] "return R[A], ..., R[A+B-2]";
            Return0: ABC { } [ENDS] "return";
            Return1: ABC { a: Reg @ A } [ENDS] "return R[A]";
            /// R[A] init, R[A+1] limit, R[A+2] step, R[A+3] control variable.
            ForPrep: AsBx { a: Reg @ A, sbx: JumpOffset @ Bx } [RAISE, JUMP] "prepare R[A..A+3]; if the loop runs no iteration then pc += sBx";
            ForLoop: AsBx { a: Reg @ A, sbx: JumpOffset @ Bx } [JUMP] "step R[A..A+3]; if the loop goes on then R[A+3] := next; pc += sBx";
            TForCall: ABC { a: Reg @ A, c: Count @ C } [RAISE, CALL, ALLOC] "R[A+4], ..., R[A+3+C] := R[A](R[A+1], R[A+2])";
            TForLoop: AsBx { a: Reg @ A, sbx: JumpOffset @ Bx } [JUMP] "if R[A+4] ~= nil then R[A+2] := R[A+4]; pc += sBx";
            /// B = 0: values up to the pack end; the first index is in the following `ExtraArg`.
            SetList: ABC { a: Reg @ A, b: Count @ B } [EXTRA, ALLOC] "R[A][extra+i-1] := R[A+i], 1 <= i <= B";
            Closure: ABx { a: Reg @ A, bx: ProtoIdx @ Bx } [ALLOC] "R[A] := closure(P[Bx])";
            /// C = 0: all extra arguments, as a pack.
            VarArg: ABC { a: Reg @ A, c: Count @ C } [] "R[A], ..., R[A+C-2] := ...";
            Close: ABC { a: Reg @ A } [RAISE, CALL] "close upvalues and to-be-closed variables >= R[A]";
            Tbc: ABC { a: Reg @ A } [RAISE] "mark R[A] to-be-closed";
            ExtraArg: Ax { ax: Payload @ Ax } [] "extra operand of the previous instruction";
            // Superinstructions (flag `FUSED`; parts listed in `fused.rs`): the first part
            // with its own operands, then the next word, a complete instruction of the
            // second part, run without a dispatch of its own.
            MulAdd: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL, FUSED] "R[A] := R[B] * R[C]; then the next word, an Add";
            MulMul: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL, FUSED] "R[A] := R[B] * R[C]; then the next word, a Mul";
            AddLoadK: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL, FUSED] "R[A] := R[B] + R[C]; then the next word, a LoadK";
            MoveMove: ABC { a: Reg @ A, b: Reg @ B } [FUSED] "R[A] := R[B]; then the next word, a Move";
            SetTableForLoop: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL, JUMP, FUSED] "R[A][R[B]] := R[C]; then the next word, a ForLoop";
            AddForLoop: ABC { a: Reg @ A, b: Reg @ B, c: Reg @ C } [RAISE, CALL, JUMP, FUSED] "R[A] := R[B] + R[C]; then the next word, a ForLoop";
        }
    };
}
