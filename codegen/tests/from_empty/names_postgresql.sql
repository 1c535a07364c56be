-- CreateTable
CREATE TABLE "T" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "a" TIMESTAMPTZ NOT NULL,
    "b" TIMESTAMP NOT NULL,
    "c" CHAR(1) NOT NULL,
    "d" VARCHAR NOT NULL,
    "e" DECIMAL NOT NULL,
    "f" TIME NOT NULL,
    "g" BIT(1) NOT NULL,
    "h" INTEGER NOT NULL DEFAULT 5,
    "i" BOOLEAN NOT NULL DEFAULT false,
    "j" TEXT NOT NULL,
    "k" JSON,
    "l" BIGSERIAL NOT NULL,
    "m" MONEY NOT NULL,

    CONSTRAINT "T_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore" (
    "id" INTEGER NOT NULL,
    "someVeryLongColumnNameNumberOne" INTEGER NOT NULL,
    "someVeryLongColumnNameNumberTwo" INTEGER NOT NULL,

    CONSTRAINT "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "T_h_idx" ON "T" USING HASH ("h");

-- CreateIndex
CREATE INDEX "T_j_idx" ON "T"("j" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "T_h_i_key" ON "T"("h", "i");

-- CreateIndex
CREATE UNIQUE INDEX "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore_som_key" ON "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore"("someVeryLongColumnNameNumberOne", "someVeryLongColumnNameNumberTwo");
