-- CreateTable
CREATE TABLE "T" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT (gen_random_uuid()),
    "a" DATETIME NOT NULL,
    "b" DATETIME NOT NULL,
    "c" TEXT NOT NULL,
    "d" TEXT NOT NULL,
    "e" DECIMAL NOT NULL,
    "f" DATETIME NOT NULL,
    "g" TEXT NOT NULL,
    "h" INTEGER NOT NULL DEFAULT 5,
    "i" BOOLEAN NOT NULL DEFAULT false,
    "j" TEXT NOT NULL,
    "k" JSONB
);

-- CreateTable
CREATE TABLE "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "someVeryLongColumnNameNumberOne" INTEGER NOT NULL,
    "someVeryLongColumnNameNumberTwo" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "T_a_j_idx" ON "T"("a" ASC, "j");

-- CreateIndex
CREATE INDEX "T_j_idx" ON "T"("j" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "T_h_i_key" ON "T"("h", "i");

-- CreateIndex
CREATE UNIQUE INDEX "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore_someVeryLongColumnNameNumberOne_someVeryLongColumnNameNumberTwo_key" ON "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore"("someVeryLongColumnNameNumberOne", "someVeryLongColumnNameNumberTwo");
