-- CreateEnum
CREATE TYPE "Kind" AS ENUM ('A', 'b''q');

-- CreateTable
CREATE TABLE "big table" (
    "id" BIGSERIAL NOT NULL,
    "small" SMALLSERIAL NOT NULL,
    "s" VARCHAR(255) NOT NULL DEFAULT 'it''s "x"',
    "n" DOUBLE PRECISION NOT NULL DEFAULT 1.5,
    "d" DECIMAL(10,2) NOT NULL DEFAULT 2.50,
    "b" BOOLEAN NOT NULL DEFAULT true,
    "k" "Kind" NOT NULL DEFAULT 'b''q',
    "j" JSONB NOT NULL DEFAULT '{"a": 1}',
    "dt" TIMESTAMPTZ(6) NOT NULL DEFAULT '2020-01-01 00:00:00 +00:00',
    "u" UUID NOT NULL,
    "g" TEXT NOT NULL DEFAULT gen_random_uuid(),
    "tags" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[],
    "ints" INTEGER[],
    "by" BYTEA NOT NULL DEFAULT '\x010203',
    "kinds" "Kind"[] DEFAULT ARRAY['A']::"Kind"[],
    "c" CHAR(3) NOT NULL,

    CONSTRAINT "big table_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comp" (
    "a" INTEGER NOT NULL,
    "b" TEXT NOT NULL,

    CONSTRAINT "comp_pk" PRIMARY KEY ("a","b")
);

-- CreateTable
CREATE TABLE "Other" (
    "id" INTEGER NOT NULL,
    "ca" INTEGER,
    "cb" TEXT,
    "selfId" INTEGER,

    CONSTRAINT "Other_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "plain_idx" ON "big table"("b");

-- CreateIndex
CREATE UNIQUE INDEX "custom_uniq" ON "big table"("s", "n" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Other_selfId_key" ON "Other"("selfId");

-- CreateIndex
CREATE INDEX "Other_ca_cb_idx" ON "Other"("ca", "cb");

-- AddForeignKey
ALTER TABLE "Other" ADD CONSTRAINT "my_fk" FOREIGN KEY ("ca", "cb") REFERENCES "Comp"("a", "b") ON DELETE SET NULL ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Other" ADD CONSTRAINT "Other_selfId_fkey" FOREIGN KEY ("selfId") REFERENCES "Other"("id") ON DELETE CASCADE ON UPDATE CASCADE;
