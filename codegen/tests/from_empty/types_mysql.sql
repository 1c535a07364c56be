-- CreateTable
CREATE TABLE `big table` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `s` VARCHAR(191) NOT NULL DEFAULT 'it''s \\ x',
    `n` DOUBLE NOT NULL DEFAULT 1.5,
    `d` DECIMAL(65, 30) NOT NULL DEFAULT 2.50,
    `b` BOOLEAN NOT NULL DEFAULT true,
    `k` ENUM('A', 'b''q') NOT NULL DEFAULT 'b''q',
    `j` JSON NOT NULL,
    `dt` DATETIME(3) NOT NULL DEFAULT '2020-01-01 00:00:00',
    `u` VARCHAR(191) NOT NULL,
    `g` VARCHAR(191) NOT NULL DEFAULT (uuid()),
    `by` LONGBLOB NOT NULL,
    `c` VARCHAR(191) NOT NULL,

    INDEX `plain_idx`(`b`),
    UNIQUE INDEX `custom_uniq`(`s`, `n` DESC),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Comp` (
    `a` INTEGER NOT NULL,
    `b` VARCHAR(191) NOT NULL,

    PRIMARY KEY (`a`, `b`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Other` (
    `id` INTEGER NOT NULL,
    `ca` INTEGER NULL,
    `cb` VARCHAR(191) NULL,
    `selfId` INTEGER NULL,

    UNIQUE INDEX `Other_selfId_key`(`selfId`),
    INDEX `Other_ca_cb_idx`(`ca`, `cb`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `N` (
    `id` INTEGER UNSIGNED NOT NULL,
    `v` VARCHAR(36) NOT NULL,
    `c` CHAR(2) NOT NULL,
    `d` DECIMAL(10, 2) NOT NULL,
    `t` TIMESTAMP(0) NOT NULL DEFAULT CURRENT_TIMESTAMP(0),
    `b` BOOLEAN NOT NULL,

    INDEX `N_v_idx`(`v`(10)),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `Other` ADD CONSTRAINT `Other_ca_cb_fkey` FOREIGN KEY (`ca`, `cb`) REFERENCES `Comp`(`a`, `b`) ON DELETE SET NULL ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE `Other` ADD CONSTRAINT `Other_selfId_fkey` FOREIGN KEY (`selfId`) REFERENCES `Other`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
